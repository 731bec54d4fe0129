"""Helpers to make users quickly in tests (bcrypt at cost 4: the cost is not under test here)."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from workflow_chat.auth.passwords import hash_password
from workflow_chat.models import User


def make_user(session: Session, name: str | None = None) -> User:
    name = name or f"user_{uuid.uuid4().hex[:8]}"
    user = User(username=name, email=f"{name}@example.com",
                password_hash=hash_password("password123", cost=4))
    session.add(user)
    session.flush()
    return user
