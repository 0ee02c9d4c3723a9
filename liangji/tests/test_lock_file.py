"""requirements.lock is what `make install` installs: it must pin every dependency that
pyproject.toml names, at the version pyproject.toml names."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", (ROOT / "requirements.lock").read_text(), re.M)
    return {_normalised(name): version for name, version in pins}


def test_every_declared_dependency_is_locked_at_its_pinned_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    locked = _locked()
    stale = []
    for requirement in declared:
        match = re.match(r"([^\[=<>]+)(?:\[[^\]]*\])?==(\S+)", requirement)
        assert match, f"{requirement} is not pinned with =="
        name, version = match.groups()
        if locked.get(_normalised(name)) != version:
            stale.append(f"{name}=={version} (lock: {locked.get(_normalised(name))})")
    assert not stale, "run `make lock`: " + ", ".join(stale)


def test_every_locked_package_carries_a_hash():
    blocks = re.split(r"\n(?=\S)", (ROOT / "requirements.lock").read_text())
    pinned = [block for block in blocks if "==" in block.split("\n", 1)[0]]
    assert pinned
    assert all("--hash=sha256:" in block for block in pinned)
