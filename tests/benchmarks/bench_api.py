"""Service-layer latency on SQLite (the source documents' target: API < 100 ms without the LLM).

Run by hand: .venv/bin/python tests/benchmarks/bench_api.py [--rounds N]
Prints p50/p95 per operation and the ratio of p95 to the 100 ms target. Login is bound by
bcrypt at cost 12 (one hash check is about 300 ms on this 2-core machine), so it cannot meet the
target without lowering the cost; "resume session" is what every later request pays.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
TARGET_MS = 100.0


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def _time(fn: Callable[[], object], rounds: int) -> list[float]:
    fn()  # warm caches and connections; not counted
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    tmp = tempfile.mkdtemp(prefix="bench_api_")
    os.environ["WORKFLOW_CHAT_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
    for name in ("LLM_API_KEY", "OPENAI_API_KEY", "LLM_BASE_URL", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)
    # One user sending hundreds of messages a minute is what this measures, not what it refuses.
    os.environ["RATE_LIMITS_ENABLED"] = "0"

    from workflow_chat.db import migrate, session_scope
    from workflow_chat.models import Message
    from workflow_chat.services import accounts, chats, messages, questions, turns

    migrate()
    with session_scope() as session:
        user_id = accounts.register(
            session, username="bench", email="bench@example.com", password="password123"
        ).id
        chat_ids = [chats.create_chat(session, user_id=user_id).id for _ in range(100)]
        big_chat = chat_ids[0]
        session.add_all(
            Message(chat_id=big_chat, role="user" if i % 2 == 0 else "assistant",
                    content=f"message {i} " + "lorem ipsum " * 20)
            for i in range(200)
        )
    send_chat = chat_ids[1]

    def login() -> None:
        with session_scope() as session:
            accounts.authenticate(session, login="bench", password="password123")

    from workflow_chat.auth.tokens import issue_token

    token = issue_token(user_id)

    def resume_session() -> None:
        with session_scope() as session:
            assert accounts.user_for_token(session, token=token) is not None

    def list_chats() -> None:
        with session_scope() as session:
            assert len(chats.list_chats(session, user_id=user_id)) == 100

    def load_chat() -> None:
        with session_scope() as session:
            assert len(messages.list_messages(session, user_id=user_id, chat_id=big_chat)) == 200

    def send() -> None:
        questions.record_question(user_id=user_id, chat_id=send_chat,
                                  content="every morning at 8 fetch https://example.com/api/items "
                                          "and email me a summary")
        assert asyncio.run(turns.answer(user_id=user_id, chat_id=send_chat)).ok

    print(f"service layer on SQLite, {rounds} rounds each (ms)")
    print(f"{'operation':<34}{'p50':>8}{'p95':>8}{'p95/target':>12}")
    for name, fn, n in (
        ("login (bcrypt cost 12)", login, max(10, rounds // 5)),
        ("resume session (JWT + user)", resume_session, rounds),
        ("list 100 chats", list_chats, rounds),
        ("load a chat of 200 messages", load_chat, rounds),
        ("send a message (offline planner)", send, rounds),
    ):
        p50, p95 = _percentiles(_time(fn, n))
        print(f"{name:<34}{p50:>8.1f}{p95:>8.1f}{p95 / TARGET_MS:>11.2f}x")


if __name__ == "__main__":
    main()
