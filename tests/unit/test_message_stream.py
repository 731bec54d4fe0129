"""The chat shows the answer's "message" while the JSON is still arriving."""

from __future__ import annotations

import json

import pytest

from workflow_chat.llm.message_stream import MessageReader

MESSAGE = 'Caf\u00e9 "quoted" \\ back\nnew line\ttab \U0001f600 emoji / slash'


def feed_in(raw: str, size: int) -> tuple[MessageReader, list[str]]:
    reader, seen = MessageReader(), []
    for start in range(0, len(raw), size):
        if reader.feed(raw[start : start + size]):
            seen.append(reader.text)
    return reader, seen


@pytest.mark.parametrize("ascii_only", [True, False])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 64])
def test_escapes_split_anywhere_decode_like_json(size: int, ascii_only: bool) -> None:
    raw = json.dumps({"message": MESSAGE, "workflow": None}, ensure_ascii=ascii_only)
    reader, seen = feed_in(raw, size)
    assert reader.text == MESSAGE and reader.done and seen[-1] == MESSAGE
    assert all(b.startswith(a) for a, b in zip(seen, seen[1:]))


def test_only_the_top_level_message_counts() -> None:
    nested = {"workflow": {"nodes": [{"message": "not me", "config": {"x": "}{\\\""}}]},
              "patch": None, "message": "me"}
    raw = "```json\n" + json.dumps(nested, indent=2) + "\n```"
    reader, _ = feed_in(raw, 7)
    assert reader.text == "me"


def test_a_null_message_and_a_key_named_like_it_in_a_value() -> None:
    reader, seen = feed_in('{"note": "message", "message": null, "x": "message"}', 4)
    assert reader.text == "" and seen == []
