"""Chinese sentences shown to users use full-width punctuation: ，。：；（）！？ — never an ASCII
, : ; ( ) ! ? inside Chinese text (the house rules; GB/T 15834 for the documents).

The walk reads every template and every string literal of the application code (not tests,
migrations or docstrings) and fails on an ASCII mark that touches a Chinese character or a
full-width mark. Code that must keep ASCII (a regular expression, a format, a stored value)
goes in ALLOWED with its reason; anything new is fixed, not allowed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import liangji
from liangji.imports.conflicts import _KEY_TOKEN, _ROW_TOKEN, OVERWRITE_EXAMPLE
from liangji.imports.parsing import _DATE_PATTERN

ROOT = Path(liangji.__file__).parent
CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
OFFENDER = re.compile(rf"[{CJK}][,:;()!?]|[,:;()!?][{CJK}]")

# (path relative to liangji/, the literal as written): why it keeps ASCII marks.
ALLOWED: dict[tuple[str, str], str] = {
    ("archive/uploads.py", "[^\\w.\\-()（）【】\\[\\] ]+"): "a regular expression of the "
    "characters a stored file name may keep",
    ("imports/parsing.py", _DATE_PATTERN.pattern): "a regular expression: the dates users type",
    ("imports/parsing.py", "[、,，;；/\\s]+"): "a regular expression: the separators users type, "
    "ASCII ones included",
    ("imports/conflicts.py", _ROW_TOKEN.pattern): "a regular expression: the rows users type",
    ("imports/conflicts.py", _KEY_TOKEN.pattern): "a regular expression: the conflict keys",
    ("imports/conflicts.py", OVERWRITE_EXAMPLE): "a command line, as typed",
    ("logfilters.py", "(?:password|passwd|pwd|secret|密码)[\\w-]*"): "a regular expression "
    "(the log masks what follows these words)",
}

# What a template shows once rendered: a value stands for itself, tags and code show nothing.
_TEMPLATE_CODE = re.compile(
    r"\{#.*?#\}|\{%.*?%\}|<script.*?</script>|<style.*?</style>|<!--.*?-->|<[^>]*>", re.S
)
_TEMPLATE_VALUE = re.compile(r"\{\{.*?\}\}", re.S)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _python_strings(path: Path) -> list[tuple[int, str]]:
    """(line, value) of every string literal but the docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _python_offenders(path: Path) -> list[str]:
    rel = str(path.relative_to(ROOT))
    return [
        f"{rel}:{line}: {value!r}"
        for line, value in _python_strings(path)
        if OFFENDER.search(value) and (rel, value) not in ALLOWED
    ]


def _template_offenders(path: Path) -> list[str]:
    shown = _TEMPLATE_VALUE.sub("X", _TEMPLATE_CODE.sub("", path.read_text(encoding="utf-8")))
    rel = str(path.relative_to(ROOT))
    return [
        f"{rel}: …{line.strip()[:80]}…"
        for line in shown.splitlines()
        if OFFENDER.search(line) and (rel, line.strip()) not in ALLOWED
    ]


def _application_code() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
        and path.name != "conftest.py"
    ]


def test_the_walk_sees_the_code_and_the_templates() -> None:
    # A walk that finds nothing passes for the wrong reason.
    assert len(_application_code()) > 200
    assert len(list(ROOT.glob("*/templates/**/*.html"))) > 80
    assert OFFENDER.search("请检查日期格式(例如 2024-09-01)")
    assert OFFENDER.search("联系人:王老师")
    assert not OFFENDER.search("请检查日期格式（例如 2024-09-01）")
    assert not OFFENDER.search("%Y-%m-%d %H:%M, code (x)")


def test_python_strings_shown_to_users_use_full_width_punctuation() -> None:
    offenders = [line for path in _application_code() for line in _python_offenders(path)]
    assert not offenders, "ASCII punctuation in Chinese text:\n" + "\n".join(offenders)


def test_templates_use_full_width_punctuation() -> None:
    offenders = [
        line
        for path in sorted(ROOT.glob("*/templates/**/*.html"))
        for line in _template_offenders(path)
    ]
    assert not offenders, "ASCII punctuation in Chinese text:\n" + "\n".join(offenders)


def test_every_allowed_exception_still_exists() -> None:
    # An exception whose string is gone must leave the list, or it would excuse a new one.
    stale = [
        (rel, value)
        for rel, value in ALLOWED
        if value not in {v for _, v in _python_strings(ROOT / rel)}
    ]
    assert not stale, stale
