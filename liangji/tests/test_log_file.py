"""liangji.log rotates by size and never holds a full ID number or a password."""

from __future__ import annotations

import copy
import logging
import logging.config
from pathlib import Path
from typing import Any

from django.conf import settings

from liangji.logfilters import mask_sensitive


def test_id_numbers_and_passwords_are_masked() -> None:
    line = 'row 51180020150102001X, 110101850315123; password=hunter2 {"new_password1": "ab cd"}'
    assert mask_sensitive(line) == (
        'row 5118**********001X, 1101*******5123; password=****** {"new_password1": "******"}'
    )
    assert mask_sensitive("学籍号 G511802201503011234 与 12345678901234567890") == (
        "学籍号 G5118**********1234 与 12345678901234567890"
    )  # the 全国学籍号 holds the ID number; twenty digits are no ID number


def test_the_configured_log_file_rotates_and_masks(tmp_path: Path) -> None:
    config: dict[str, Any] = copy.deepcopy(settings.LOGGING)
    config["handlers"]["file"].update(filename=str(tmp_path / "liangji.log"), maxBytes=2000)
    root = logging.getLogger()
    saved = root.handlers[:]
    try:
        logging.config.dictConfig(config)
        logger = logging.getLogger("liangji.test")
        try:
            raise ValueError("bad row: 511802201503011234")
        except ValueError:
            logger.exception("import of %s failed, password=%s", "51180020150102001X", "s3cret")
        for n in range(40):
            logger.warning("line %d %s", n, "x" * 80)
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = saved
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files[:2] == ["liangji.log", "liangji.log.1"]
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert "5118**********1234" in text and "5118**********001X" in text
    assert "511802201503011234" not in text and "51180020150102001X" not in text
    assert "s3cret" not in text and "password=******" in text
