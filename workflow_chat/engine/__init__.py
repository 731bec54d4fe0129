"""The durable runner: one DBOS workflow walks a graph; connectors do each kind's work."""
