"""Configuration from the environment, through small typed helpers that fail loudly.

Every variable is documented in `.env.example`.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import tempfile
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


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a whole number") from None
    if value < 0:
        raise ConfigError(f"{name}={raw!r}: expected 0 or more")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """A list of IP addresses or networks (CIDR); a wrong entry stops the start."""
    entries = env_list(name, default)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name} 中的 {entry!r} 不是 IP 地址或网段（例如 127.0.0.1、10.0.0.0/8）"
            ) from None
    return entries


def data_dir() -> Path:
    """LIANGJI_DATA_DIR: the database, uploads and generated files (default ./var)."""
    path = Path(env_str("LIANGJI_DATA_DIR", "var")).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        # A probe rather than os.access: it also catches read-only disks, and administrators
        # (for whom access() answers yes to everything).
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise ConfigError(
            f"数据目录 {path} 无法写入（{_os_reason(error)}）；数据库、日志和上传的文件都保存在"
            "这里。请把 LIANGJI_DATA_DIR 设为可写的目录，或请管理员给这个目录写入权限"
        ) from None
    return path


def _os_reason(error: OSError) -> str:
    reasons = {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "所在的磁盘是只读的",
        errno.ENOSPC: "磁盘已满",
        errno.ENOTDIR: "路径中有一段不是目录",
        errno.EEXIST: "同名的是一个文件",
        errno.ENOENT: "目录不存在且无法创建",
    }
    return reasons.get(error.errno or 0, f"系统错误 {error.errno}")


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
