"""What may reach liangji.log: never a full ID number, never a password.

Tracebacks quote values (an import row, a form field) and messages name people; the filter
masks every 18- or 15-digit identity number down to its first four and last four characters,
as the pages do, and blanks any value given after a password-like key, before the record is
written. Applied to the file handler in settings.LOGGING, which also rotates the file by size.
"""

from __future__ import annotations

import logging
import re

# 18 digits (the last may be X) or 15 digits, not part of a longer run of digits; a 全国学籍号
# (G + the ID number) is masked too.
_ID_NUMBER = re.compile(r"(?<![0-9])(?:\d{17}[0-9Xx]|\d{15})(?![0-9])")
_KEY = r"(?:password|passwd|pwd|secret|密码)[\w-]*"
_PASSWORD_QUOTED = re.compile(rf"""({_KEY}['"]?\s*[:=]\s*)(['"])(.*?)\2""", re.IGNORECASE)
_PASSWORD_BARE = re.compile(rf"""({_KEY}\s*[:=]\s*)([^'"\s,;&}}]+)""", re.IGNORECASE)


def mask_sensitive(text: str) -> str:
    text = _PASSWORD_QUOTED.sub(r"\1\2******\2", text)
    text = _PASSWORD_BARE.sub(r"\1******", text)
    return _ID_NUMBER.sub(_id_mask, text)


def _id_mask(match: re.Match[str]) -> str:
    whole = match.group(0)
    return whole[:4] + "*" * (len(whole) - 8) + whole[-4:]


class SensitiveDataFilter(logging.Filter):
    """Masks the message and the traceback of every record passing the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_sensitive(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_sensitive(record.exc_text)
        return True
