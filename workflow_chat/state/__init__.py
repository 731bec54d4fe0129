"""App-wide Reflex states: thin, they call services."""
