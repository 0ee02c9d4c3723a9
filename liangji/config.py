"""Configuration from the environment, through small typed helpers that fail loudly.

Every variable is documented in `.env.example`.
"""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(RuntimeError):
    """An environment variable has a value the application cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r}: expected true or false")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """LIANGJI_DATA_DIR: the database, uploads and generated files (default ./var)."""
    path = Path(env_str("LIANGJI_DATA_DIR", "var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """DATABASE_URL, or the embedded SQLite file inside the data directory."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("sqlite:", "postgres:", "postgresql:")):
            raise ConfigError(
                f"DATABASE_URL={url!r}: only sqlite:/// and postgres:// URLs are supported"
            )
        return url
    return f"sqlite:///{data_dir() / 'liangji.sqlite3'}"


def secret_key_from(directory: Path) -> str:
    """Read the installation's secret key, creating it on first use (mode 0600)."""
    import secrets

    path = directory / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
