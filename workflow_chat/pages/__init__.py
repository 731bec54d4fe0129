"""Pages: login, register, workspace."""
