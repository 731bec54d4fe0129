"""Page paths, in one place."""

WORKSPACE = "/"
LOGIN = "/login"
REGISTER = "/register"
SETTINGS = "/settings"
