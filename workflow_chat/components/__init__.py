"""UI widgets, one per module."""
