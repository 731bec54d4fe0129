"""A user's named secrets (the credentials vault): create, replace, delete, list, and resolve
for the engine. Values are encrypted at rest (workflow_chat/vault) and leave this module only
through `resolve`, for a run of their owner; lists give names, a mask and dates.

Every call filters by the owner: another user's secret is NotFound, never "exists".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from workflow_chat.models import Credential, utcnow
from workflow_chat.services import audit
from workflow_chat.services.errors import Conflict, Invalid, NotFound
from workflow_chat.services.text_rules import NUL, refuse_nul, without_nul
from workflow_chat.vault import cipher

MAX_NAME = 64
MAX_VALUE = 16_384
# No suffix of the value: for a short secret (a PIN) four characters are most of it.
HINT = "••••"
# last_used_at is refreshed when older than this, so a busy workflow costs no write per run.
USE_RESOLUTION = timedelta(minutes=1)
_NAME = re.compile(r"[A-Z][A-Z0-9_]*\Z")


@dataclass(frozen=True)
class CredentialSummary:
    """What may be shown about a secret: never its value."""

    name: str
    hint: str
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None


def check_name(name: str) -> str:
    """The name, trimmed, if it is UPPER_SNAKE (letter first, then capitals, digits and
    underscores, 1–64 characters); Invalid with a sentence that says how to fix it otherwise."""
    cleaned = refuse_nul((name or "").strip(), what="A secret name")
    if not cleaned:
        raise Invalid("Give the secret a name, like SLACK_WEBHOOK_URL.")
    if len(cleaned) > MAX_NAME:
        raise Invalid(f"A secret name can be at most {MAX_NAME} characters (this one has {len(cleaned)}).")
    if not _NAME.match(cleaned):
        suggestion = re.sub(r"[^A-Z0-9]+", "_", cleaned.upper()).strip("_")
        if suggestion and not suggestion[0].isalpha():
            suggestion = ""
        hint = f": try {suggestion}" if suggestion and len(suggestion) <= MAX_NAME else ""
        raise Invalid("A secret name starts with a capital letter and has only capital letters, "
                      f"digits and underscores{hint}.")
    return cleaned


def _check_value(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("Enter the secret's value.")
    if len(value) > MAX_VALUE:
        raise Invalid(f"A secret value can be at most {MAX_VALUE:,} characters.")
    return value


def _summary(row: Credential) -> CredentialSummary:
    return CredentialSummary(name=row.name, hint=HINT, created_at=row.created_at,
                             updated_at=row.updated_at, last_used_at=row.last_used_at)


def _find(session: Session, user_id: int, name: str) -> Credential | None:
    return session.exec(
        select(Credential).where(Credential.user_id == user_id, Credential.name == name)
    ).first()


def _owned(session: Session, user_id: int, name: str) -> Credential:
    # A name with NUL was never stored (check_name) and PostgreSQL cannot even compare it.
    row = _find(session, user_id, name) if isinstance(name, str) and NUL not in name else None
    if row is None:
        raise NotFound(f"You have no secret named {without_nul(str(name))[:MAX_NAME]}.")
    return row


def list_credentials(session: Session, *, user_id: int) -> list[CredentialSummary]:
    """The user's secrets by name (no decryption: works even without a master key)."""
    rows = session.exec(
        select(Credential).where(Credential.user_id == user_id).order_by(Credential.name)
    ).all()
    return [_summary(row) for row in rows]


def create_credential(
    session: Session, *, user_id: int, name: str, value: str, ip: str | None = None
) -> CredentialSummary:
    """Store a new secret. Conflict when the user already has one by that name."""
    name, value = check_name(name), _check_value(value)
    if _find(session, user_id, name) is not None:
        raise Conflict(f"You already have a secret named {name}: replace its value instead.")
    now = utcnow()
    row = Credential(user_id=user_id, name=name, ciphertext=cipher.encrypt(value),
                     created_at=now, updated_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # the same name saved twice at once
        raise Conflict(f"You already have a secret named {name}: replace its value instead.") from None
    audit.record(session, user_id=user_id, action="secret.create", target=f"secret:{name}", ip=ip)
    return _summary(row)


def replace_value(
    session: Session, *, user_id: int, name: str, value: str, ip: str | None = None
) -> CredentialSummary:
    """Give an existing secret a new value (encrypted under the newest master key)."""
    value = _check_value(value)
    row = _owned(session, user_id, name)
    row.ciphertext, row.updated_at = cipher.encrypt(value), utcnow()
    session.add(row)
    session.flush()
    audit.record(session, user_id=user_id, action="secret.replace", target=f"secret:{row.name}", ip=ip)
    return _summary(row)


def delete_credential(session: Session, *, user_id: int, name: str, ip: str | None = None) -> None:
    row = _owned(session, user_id, name)
    session.delete(row)
    session.flush()
    audit.record(session, user_id=user_id, action="secret.delete", target=f"secret:{row.name}", ip=ip)


def resolve(session: Session, *, user_id: int, name: str) -> str:
    """The decrypted value of the user's secret `name`, for a run of that user. NotFound when
    there is none; cipher.DecryptError when no configured master key opens it. Marks the
    secret as used and audits the use, both at most once a minute per secret (a busy workflow
    costs no write per run)."""
    row = _owned(session, user_id, name)
    value = cipher.decrypt(row.ciphertext)
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= USE_RESOLUTION:
        row.last_used_at = now
        session.add(row)
        audit.record(session, user_id=user_id, action="secret.use", target=f"secret:{row.name}")
    return value


# Operator functions (python -m workflow_chat.vault): every user's rows, no owner filter.

TABLE = Credential.__table__  # type: ignore[attr-defined]


_CAS_TRIES = 5


@dataclass
class RotationBatch:
    last_id: int
    rotated: int
    unreadable: list[int]


def rotate_batch(session: Session, *, after_id: int, limit: int = 200,
                 keys: list[str] | None = None) -> RotationBatch | None:
    """Re-encrypt up to `limit` rows with ids above `after_id` under the first key; None when
    no rows are left. Each write only applies if the row still holds the token that was read,
    so a value replaced meanwhile (already under the newest key) is read again, not undone."""
    rows = session.execute(
        sa.select(TABLE.c.id, TABLE.c.ciphertext).where(TABLE.c.id > after_id)
        .order_by(TABLE.c.id).limit(limit)
    ).all()
    if not rows:
        return None
    batch = RotationBatch(last_id=rows[-1].id, rotated=0, unreadable=[])
    for row_id, token in rows:
        for _ in range(_CAS_TRIES):
            if token is None:  # deleted meanwhile
                break
            try:
                fresh = cipher.reencrypt(token, keys=keys)
            except cipher.DecryptError:
                batch.unreadable.append(row_id)
                break
            written = session.execute(
                sa.update(TABLE).where(TABLE.c.id == row_id, TABLE.c.ciphertext == token)
                .values(ciphertext=fresh)
            ).rowcount
            if written:
                batch.rotated += 1
                break
            token = session.execute(sa.select(TABLE.c.ciphertext).where(TABLE.c.id == row_id)).scalar()
    return batch


def unreadable_ids(session: Session, *, keys: list[str]) -> list[int]:
    """Ids of the rows that `keys` cannot decrypt (e.g. only the first key: which rows still
    need the old ones)."""
    failed = []
    for row_id, token in session.execute(sa.select(TABLE.c.id, TABLE.c.ciphertext).order_by(TABLE.c.id)):
        try:
            cipher.decrypt(token, keys=keys)
        except cipher.DecryptError:
            failed.append(row_id)
    return failed
