"""Liveness for load balancers and the container's health check."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter

from workflow_chat.db import get_engine

router = APIRouter(tags=["health"])


def _database_answers() -> bool:
    with get_engine().connect() as conn:
        return conn.execute(sa.text("SELECT 1")).scalar() == 1


@router.get("/health")
async def health() -> dict[str, str]:
    """200 with {"status": "ok"} when the database answers."""
    await asyncio.to_thread(_database_answers)
    return {"status": "ok"}
