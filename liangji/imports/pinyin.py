"""Pinyin initials of a name ("zs" for 张三), for search by what people type."""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin


@functools.cache
def _char_initial(char: str) -> str:
    # Per character and cached: pypinyin costs ~40 µs a name, which is 20 s for a county of
    # 500,000 people, while a county's names use only a few thousand distinct characters.
    # Names are not phrases, so the phrase context pypinyin would otherwise use changes nothing.
    initial = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return initial[0][:1].lower() if initial else (char.lower() if char.isalnum() else "")


def name_initials(name: str) -> str:
    return "".join(_char_initial(char) for char in name)[:50]
