"""Privacy rules of the registers: how much of an ID number a page, a list or an export shows.

Every app that shows people (indicators, dropout, inspection, exports) masks ID numbers with this
one function; the template filter `mask_id` of the web shell calls it too.
"""

from __future__ import annotations


def mask_id(value: object) -> str:
    """An ID number with only its first and last four characters: 5118**********1234."""
    text = "" if value is None else str(value).strip()
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"
