"""A process that starts one run of a chat's workflow on the embedded engine and then waits to
be killed: the first half of the crash-and-resume test. Args: user_id chat_id."""

from __future__ import annotations

import asyncio
import sys

from workflow_chat.engine import launch
from workflow_chat.services import runs


async def main(user_id: int, chat_id: int) -> None:
    await asyncio.to_thread(launch.launch)
    summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
    print(summary.id, flush=True)
    await asyncio.Event().wait()  # until kill -9


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
