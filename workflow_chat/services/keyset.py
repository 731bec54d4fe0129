"""Keyset pagination for list queries: "the rows after this one" in a newest-first order, by a
sort column and the id that breaks its ties. Cheaper and steadier than OFFSET: rows added
meanwhile neither repeat nor push others onto the next page."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def older_than(sort_column: Any, id_column: Any, key: tuple[Any, Any]) -> Any:
    """WHERE clause for rows after `key` = (sort value, id) when ordered by both descending."""
    value, row_id = key
    return sa.or_(sort_column < value, sa.and_(sort_column == value, id_column < row_id))
