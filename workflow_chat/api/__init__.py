"""REST API mounted on the Reflex backend (FastAPI through the app's api_transformer)."""
