"""Deployment settings (where the data lives, host, port, debug) and the PMO's standards.

Priority for every setting: an explicit argument (``python app.py --port 9000``), then the
``PMO_*`` environment variable, then the default. Every setting is listed once in ``SETTINGS``
with its help text, so the README and ``--help`` say the same thing.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

from dashboard.standards import Standards, load_standards

ROOT = Path(__file__).resolve().parents[1]

SETTINGS: dict[str, str] = {
    "data_dir": "PMO_DATA_DIR: folder of published database versions and CURRENT (default data/)",
    "standards": "PMO_STANDARDS: the PMO's standards file (default pmo.toml at the repo root)",
    "host": "PMO_HOST: address to bind (default 127.0.0.1: this machine only)",
    "port": "PMO_PORT: port to serve on (default 8050)",
    "debug": "PMO_DEBUG: Dash debug mode and dev tools; development only (default false)",
    "today": "PMO_TODAY: pin 'today' (YYYY-MM-DD) for demos and reproducible screenshots",
    "db_threads": "PMO_DB_THREADS: DuckDB threads per app process (default 2)",
    "db_memory": "PMO_DB_MEMORY: DuckDB memory limit per app process (default 1GB)",
    "auth": "PMO_AUTH: off | password | proxy (default off; off only on a loopback address)",
    "users_file": "PMO_USERS: TOML file of users, roles, divisions and password hashes",
    "auth_header": "PMO_AUTH_HEADER: the one header a trusted SSO proxy sets (proxy mode)",
    "secure_cookies": "PMO_SECURE_COOKIES: session cookie only over HTTPS (default true)",
    "max_upload_mb": "PMO_MAX_UPLOAD_MB: largest upload in MB, all files of one drop (default 25)",
    "upload_quota_mb": "PMO_UPLOAD_QUOTA_MB: room for kept uploaded files in MB (default 1000)",
    "callback_body_kb": "PMO_CALLBACK_BODY_KB: largest non-upload request body in KB (default 256)",
    "trusted_proxies": "PMO_TRUSTED_PROXIES: proxies (addresses/networks) whose headers count",
    "allowed_hosts": "PMO_ALLOWED_HOSTS: Host names served (default: the bound host, localhost)",
    "session_idle_minutes": "PMO_SESSION_IDLE_MINUTES: sign out after this idle time (default 60)",
    "session_max_hours": "PMO_SESSION_MAX_HOURS: sign out after this long in any case (default 12)",
}
# PMO_SECRET_KEY (32+ random characters, required with sign-in) is read from the environment
# only and never shown or stored in Settings.


@dataclass(frozen=True)
class Settings:
    """Deployment settings; see ``SETTINGS`` for what each one means."""

    data_dir: Path
    standards: Path
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    today: date | None = None
    db_threads: int = 2
    db_memory: str = "1GB"
    auth: str = "off"
    users_file: Path | None = None
    auth_header: str = "X-Forwarded-User"
    secure_cookies: bool = True
    max_upload_mb: float = 25.0
    upload_quota_mb: float = 1000.0
    callback_body_kb: int = 256
    trusted_proxies: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    session_idle_minutes: float = 60.0
    session_max_hours: float = 12.0

    def as_of_default(self) -> date:
        """The as-of date pages start on: the pinned ``today``, else the real one."""
        return self.today or date.today()


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``PMO_*`` variables over the defaults."""
    env = dict(os.environ if env is None else env)

    def get(name: str) -> str | None:
        value = env.get(f"PMO_{name.upper()}")
        return value if value not in (None, "") else None

    return Settings(
        data_dir=Path(get("data_dir") or ROOT / "data").expanduser().resolve(),
        standards=Path(get("standards") or ROOT / "pmo.toml").expanduser().resolve(),
        host=get("host") or "127.0.0.1",
        port=int(get("port") or 8050),
        debug=(get("debug") or "false").lower() in ("1", "true", "yes", "on"),
        today=date.fromisoformat(get("today")) if get("today") else None,
        db_threads=int(get("db_threads") or 2),
        db_memory=get("db_memory") or "1GB",
        auth=(get("auth") or "off").lower(),
        users_file=Path(get("users")).expanduser().resolve() if get("users") else None,
        auth_header=get("auth_header") or "X-Forwarded-User",
        secure_cookies=(get("secure_cookies") or "true").lower() in ("1", "true", "yes", "on"),
        max_upload_mb=float(get("max_upload_mb") or 25),
        upload_quota_mb=float(get("upload_quota_mb") or 1000),
        callback_body_kb=int(get("callback_body_kb") or 256),
        trusted_proxies=_split(get("trusted_proxies")),
        allowed_hosts=_split(get("allowed_hosts")),
        session_idle_minutes=float(get("session_idle_minutes") or 60),
        session_max_hours=float(get("session_max_hours") or 12),
    )


def _split(value: str | None) -> tuple[str, ...]:
    """A comma- or space-separated list setting as a tuple (empty when unset)."""
    return tuple(item for item in (value or "").replace(",", " ").split() if item)


_overrides: dict[str, object] = {}


def configure(**overrides: object) -> Settings:
    """Apply explicit values (command-line arguments) over the environment; clears caches."""
    known = {f.name for f in fields(Settings)}
    unknown = set(overrides) - known
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    _overrides.update({k: v for k, v in overrides.items() if v is not None})
    get_settings.cache_clear()
    get_standards.cache_clear()
    return get_settings()


@functools.cache
def get_settings() -> Settings:
    """The effective settings (cached; ``configure`` or ``get_settings.cache_clear`` resets)."""
    settings = settings_from_env()
    values = dict(_overrides)
    for key in ("data_dir", "standards"):
        if key in values:
            values[key] = Path(str(values[key])).expanduser().resolve()
    return replace(settings, **values)


@functools.cache
def get_standards() -> Standards:
    """The PMO's standards from the configured file, validated (raises StandardsError)."""
    return load_standards(get_settings().standards)
