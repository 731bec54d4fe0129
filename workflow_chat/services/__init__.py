"""Services: plain functions over a database session, each checking the owner. Shared by the
Reflex state and (later) the REST API."""
