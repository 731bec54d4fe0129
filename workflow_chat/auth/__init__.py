"""Authentication: password hashing and session tokens (no Reflex here)."""
