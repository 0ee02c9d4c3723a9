"""The layering of the apps: a lower layer never imports a higher one.

    audit < accounts < registers < imports < indicators < archive
          < {dropout, inspection, literacy} < reports < web

`web` is the shell (base templates, navigation, dashboard) and imports the apps; no app imports
it. `demo` and `ops` load and keep the whole house and may import any app but the shell.
Every `import` counts, at module level or inside a function: a lazy import is an arrow too.
Tests may in addition use the tools and check their app against a higher domain app (two doors
that must agree), but never import the shell. The check reads the source (ast), so it also
sees code no test runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import liangji

LAYERS: list[set[str]] = [
    {"audit"},
    {"accounts"},
    {"registers"},
    {"imports"},
    {"indicators"},
    {"archive"},
    {"dropout", "inspection", "literacy"},
    {"reports"},
    {"web"},
]
# May import every app except the shell.
TOOLS = {"demo", "ops"}
# Modules of the package itself (not apps) that every app may import: the contract between an
# app and the shell's dashboard, the one download helper, the judges of the inspection standard
# kept by sibling apps, what the query-count tests count. They import no app.
CONTRACTS = {"downloads", "overdue", "querycount", "standards"}
# What an app's tests may use besides the layers below: the project's shared fixtures and the
# tools (the browser tests look at pages full of demo data; the archive checks that its files
# survive a backup and restore).
TEST_HELPERS = {"conftest", *TOOLS}

# Arrows against the order that are known and allowed, each with its reason.
# A user belongs to a unit of the registers (User.unit) and the scope (accounts/scope.py) filters
# the registers' rows by that unit: accounts reads the registers' models and vocabulary, never
# their services or pages.
ALLOWED: set[tuple[str, str]] = {
    ("accounts", "liangji.registers.models"),
    ("accounts", "liangji.registers.choices"),
}

RANK = {app: rank for rank, layer in enumerate(LAYERS) for app in layer}
ROOT = Path(liangji.__file__).parent


def _imported_modules(path: Path, module: str) -> list[tuple[int, str]]:
    """Every module (or name of a module) `path` imports, absolute, with its line number."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            # `from liangji import web` imports the app `liangji.web`.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _top(module: str) -> str | None:
    """`web` for `liangji.web.nav`; None outside the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "liangji" else None


def _allowed(source: str, target: str, apps: set[str], *, in_tests: bool = False) -> bool:
    target_top = _top(target)
    if target_top is None or target_top == source:
        return True
    if in_tests and target_top in TEST_HELPERS:
        return True
    if in_tests and target_top in RANK and source in RANK:
        # A test may check its app against a higher one (the importer's rows against the
        # registers' rule, the indicators on freshly imported registers); never the shell.
        return target_top != "web"
    if target_top not in apps:
        # The package's own modules: contracts are open to every app; settings, urls and the
        # command line belong to the project above the apps (read settings via django.conf).
        return target_top in CONTRACTS and source not in CONTRACTS
    if source in CONTRACTS:
        return False
    if any(source == s and (target == m or target.startswith(f"{m}.")) for s, m in ALLOWED):
        return True
    if source in TOOLS:
        return target_top != "web"
    if target_top in TOOLS:
        return False
    return RANK.get(target_top, len(LAYERS)) < RANK[source]


def layering_violations(root: Path) -> list[str]:
    """The wrong arrows in the package whose directory is `root`, one line each."""
    apps = {p.parent.name for p in root.glob("*/apps.py")}
    problems = [f"app {app!r} has no layer: add it to LAYERS" for app in apps - RANK.keys() - TOOLS]
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts:
            continue  # migrations name other apps by label, never by import
        source = relative.parts[0].removesuffix(".py")
        if source not in apps and source not in CONTRACTS:
            continue  # settings, urls, cli: the project itself, above every app
        module = ".".join(("liangji", *relative.with_suffix("").parts))
        for line, target in _imported_modules(path, module):
            if not _allowed(source, target, apps, in_tests="tests" in relative.parts):
                problems.append(f"{relative}:{line}: {source} imports {target}")
    return sorted(problems)


def test_no_app_imports_a_higher_layer() -> None:
    assert layering_violations(ROOT) == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    """A throw-away copy of the package layout: each app a directory with apps.py."""
    root = tmp_path / "liangji"
    for app in ("audit", "accounts", "registers", "dropout", "inspection", "web", "demo"):
        (root / app).mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
        (root / app / "apps.py").write_text("")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_layering_test_refuses_a_wrong_arrow(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "registers/views.py": "from liangji.web.nav import nav_for\n",
            "dropout/services.py": "def f():\n    from liangji.inspection import models\n",
            "accounts/scope.py": "from liangji.registers.services import person_create\n",
            "audit/views.py": "from ..accounts.scope import can\n",
            "demo/steps.py": "import liangji.web.demo\n",
            "registers/models.py": "from liangji.demo import names\n",
            "registers/tests/test_pages.py": "from liangji.web.nav import nav_for\n",
        },
    )
    assert layering_violations(root) == [
        "accounts/scope.py:1: accounts imports liangji.registers.services.person_create",
        "audit/views.py:1: audit imports liangji.accounts.scope.can",
        "demo/steps.py:1: demo imports liangji.web.demo",
        "dropout/services.py:2: dropout imports liangji.inspection.models",
        "registers/models.py:1: registers imports liangji.demo.names",
        "registers/tests/test_pages.py:1: registers imports liangji.web.nav.nav_for",
        "registers/views.py:1: registers imports liangji.web.nav.nav_for",
    ]


def test_the_layering_test_lets_the_right_arrows_pass(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "web/views.py": "from liangji.dropout import selectors\nimport liangji.registers\n",
            "dropout/views.py": "from liangji.accounts.scope import can\nfrom . import forms\n",
            "accounts/scope.py": "from liangji.registers.models import Unit\n",
            "demo/steps.py": "from liangji.dropout.demo import cases_load\n",
            "dropout/tests/test_x.py": "from liangji.demo.services import demo_load\n",
            "registers/tests/test_doors.py": "from liangji.dropout.models import DropoutCase\n",
            "dropout/dashboard.py": "from liangji.overdue import OverdueItem\n",
        },
    )
    assert layering_violations(root) == []


def test_an_app_without_a_layer_is_refused(tmp_path: Path) -> None:
    root = _package(tmp_path, {"payroll/apps.py": ""})
    assert layering_violations(root) == ["app 'payroll' has no layer: add it to LAYERS"]
