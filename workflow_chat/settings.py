"""Settings read from the environment, with development defaults that keep data in ./data."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Directory for the embedded database and generated development secrets."""
    path = Path(os.environ.get("WORKFLOW_CHAT_DATA_DIR", "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """DATABASE_URL when set (PostgreSQL in production), else a SQLite file in the data directory."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'workflow_chat.sqlite'}"


def is_production() -> bool:
    return os.environ.get("WORKFLOW_CHAT_ENV", "development").lower() == "production"


def registration_allowed() -> bool:
    """ALLOW_REGISTRATION: anyone may create an account unless it is "0" / "false" / "off" /
    "no"; then only an administrator can, with `python -m workflow_chat.create_user`."""
    raw = os.environ.get("ALLOW_REGISTRATION", "1").strip().lower()
    return raw not in {"0", "false", "off", "no"}
