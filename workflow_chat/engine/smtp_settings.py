"""Which SMTP server the email node sends through, read from the environment at send time.

SMTP_HOST (required), SMTP_PORT (default 25 / 587 / 465 by security), SMTP_SECURITY
(none | starttls | tls, default starttls), SMTP_USERNAME (log in when set), SMTP_FROM (default
the username), SMTP_PASSWORD_SECRET (the NAME of the secret holding the password, default
SMTP_PASSWORD, so the value lives in WFC_SECRET_SMTP_PASSWORD), SMTP_CA_FILE (extra CA
certificates to trust, for a server with a private certificate), SMTP_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workflow_chat.engine.context import ConnectorError

Security = Literal["none", "starttls", "tls"]
DEFAULT_PORTS: dict[str, int] = {"none": 25, "starttls": 587, "tls": 465}
_VARIABLES = {
    "host": "SMTP_HOST", "port": "SMTP_PORT", "security": "SMTP_SECURITY",
    "username": "SMTP_USERNAME", "sender": "SMTP_FROM", "password_secret": "SMTP_PASSWORD_SECRET",
    "ca_file": "SMTP_CA_FILE", "timeout_seconds": "SMTP_TIMEOUT_SECONDS",
}


class SmtpSettings(BaseModel):
    """Server settings; the password is not here, only the name of its secret."""

    model_config = ConfigDict(frozen=True)

    host: str = Field(min_length=1)
    port: int | None = Field(default=None, gt=0, lt=65536)
    security: Security = "starttls"
    username: str | None = None
    sender: str | None = None
    password_secret: str = "SMTP_PASSWORD"
    ca_file: str | None = None
    timeout_seconds: float = Field(default=30, gt=0)

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]

    @property
    def from_address(self) -> str:
        """SMTP_FROM, else the username when it is an address."""
        sender = self.sender or (self.username if self.username and "@" in self.username else None)
        if not sender:
            raise ConnectorError("no sender address: set SMTP_FROM", retryable=False)
        return sender


def load_smtp_settings(env: Mapping[str, str] | None = None) -> SmtpSettings:
    """Read the settings from `env` (default os.environ). Raises ConnectorError (not retryable)
    naming the variable when SMTP_HOST is missing or a value does not parse."""
    env = os.environ if env is None else env
    values = {field: env[name].strip() for field, name in _VARIABLES.items()
              if env.get(name, "").strip()}
    if "host" not in values:
        raise ConnectorError("no SMTP server is configured: set SMTP_HOST", retryable=False)
    if "security" in values:
        values["security"] = values["security"].lower()
    try:
        return SmtpSettings.model_validate(values)
    except ValidationError as exc:
        item = exc.errors()[0]
        name = _VARIABLES.get(str(item["loc"][0]), "SMTP settings") if item["loc"] else "SMTP"
        raise ConnectorError(f"{name}: {item['msg']}", retryable=False) from None
