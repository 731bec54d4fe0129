"""Where a node added by a patch goes on the canvas, without moving anything already there.

The canvas lays out the whole graph when a node sits at (0, 0) while others do not
(`flow_view.needs_layout`), which would throw away positions the person chose. So every new
node gets a real, free spot: below the node it follows, nudged sideways or down until its box
keeps a gap to every other box.
"""

from __future__ import annotations

from collections.abc import Iterable

from workflow_chat.graph.schema import Position

NODE_WIDTH = 280.0  # the node card's size on the canvas, roughly
NODE_HEIGHT = 90.0
GAP = 40.0  # the smallest free space kept between two boxes
_COLUMN = NODE_WIDTH + GAP
_ROW = NODE_HEIGHT + GAP
_MAX_COLUMNS = 6  # how far to look sideways before trying the next row down


def overlaps(a: Position, b: Position) -> bool:
    """True when boxes at a and b (top-left corners) are closer than GAP on both axes."""
    return abs(a.x - b.x) < _COLUMN and abs(a.y - b.y) < _ROW


def free_position(taken: Iterable[Position], anchor: Position | None) -> Position:
    """A spot for a new node: one row below `anchor` (or below the lowest node when None).

    The result never overlaps a position in `taken` and is never (0, 0) unless `taken` is empty
    (a node at the origin counts as unplaced and would trigger a full re-layout).
    """
    placed = list(taken)
    if not placed:
        return Position(x=0, y=0)
    if anchor is None:
        lowest = max(placed, key=lambda p: (p.y, -p.x))
        anchor = lowest
    row = 1
    while True:  # terminates: the rows below every placed node are free
        y = anchor.y + row * _ROW
        for step in _column_steps():
            candidate = Position(x=anchor.x + step * _COLUMN, y=y)
            if (candidate.x, candidate.y) == (0.0, 0.0):
                continue
            if not any(overlaps(candidate, p) for p in placed):
                return candidate
        row += 1


def _column_steps() -> Iterable[int]:
    """0, 1, -1, 2, -2 …: straight below first, then alternately right and left."""
    yield 0
    for n in range(1, _MAX_COLUMNS + 1):
        yield n
        yield -n
