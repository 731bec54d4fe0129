"""Email: send a message through SMTP (server settings come from the environment at run time)."""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, getaddresses, parseaddr

from pydantic import Field

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import redact_error
from workflow_chat.engine.smtp_settings import SmtpSettings, load_smtp_settings
from workflow_chat.engine.templating import render
from workflow_chat.nodes.base import NodeConfig, NodeKind


class Config(NodeConfig):
    to: str = Field(description="Recipient address(es), comma separated; may be a template")
    subject: str
    body: str = Field(
        description="Message text; may contain {{ templates }}",
        json_schema_extra={"widget": "template"},
    )


async def run(config: Config, ctx: RunContext) -> dict[str, object]:
    """Send one plain-text message. Output {"to": accepted addresses, "refused": addresses the
    server refused while accepting others, "message_id": "<...>"}.

    The Message-ID is derived from ctx.idempotency_key, so a resend after a crash carries the
    same id (mail systems drop or thread the duplicate). Raises ConnectorError: retryable for
    connection failures, timeouts and 4xx answers; not for a bad login, refused recipients
    (5xx), an untrusted certificate or missing settings. No message holds the password.
    """
    settings = load_smtp_settings()
    recipients = parse_recipients(render(config.to, ctx, field="to"))
    message = _compose(config, ctx, settings.from_address, recipients)
    password = _password(settings, ctx)
    addresses = [address for _, address in recipients]
    try:
        refused = await asyncio.to_thread(_send, settings, password, message, addresses)
    except ConnectorError as error:
        raise redact_error(ctx.secrets, error) from None
    return {"to": [a for a in addresses if a not in refused], "refused": sorted(refused),
            "message_id": str(message["Message-ID"])}


def _compose(
    config: Config, ctx: RunContext, sender: str, recipients: list[tuple[str, str]]
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(formataddr(pair) for pair in recipients)
    # One line: a newline from an earlier node's text must not start a new header.
    message["Subject"] = " ".join(render(config.subject, ctx, field="subject").split())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(ctx.idempotency_key, sender)
    message["X-Idempotency-Key"] = ctx.idempotency_key
    message.set_content(render(config.body, ctx, field="body"))
    return message


def parse_recipients(text: str) -> list[tuple[str, str]]:
    """(display name, address) pairs from "a@x.org, Bea <b@y.org>; c@z.org"."""
    pairs = [(name, address.strip()) for name, address in getaddresses([text.replace(";", ",")])
             if address.strip()]
    bad = [address for _, address in pairs if "@" not in address or " " in address]
    if bad or not pairs:
        reason = f"{', '.join(bad)} is not an email address" if bad else "no recipient address"
        raise ConnectorError(f"to: {reason}", retryable=False)
    return pairs


def message_id(idempotency_key: str, sender: str) -> str:
    """The same `<...@domain>` for the same run and node, whatever the attempt."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "workflow-chat.invalid"
    return f"<wfc.{digest}@{domain}>"


def _password(settings: SmtpSettings, ctx: RunContext) -> str | None:
    if not settings.username:
        return None
    if ctx.secrets is None:
        raise ConnectorError("secrets are not available here", retryable=False)
    password: str = ctx.secrets.get(settings.password_secret)
    return password


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    # Verifying: the password goes over this connection. A private CA is trusted explicitly.
    context = ssl.create_default_context()
    if settings.ca_file:
        context.load_verify_locations(cafile=settings.ca_file)
    return context


def _send(
    settings: SmtpSettings, password: str | None, message: EmailMessage, to: list[str]
) -> dict[str, tuple[int, bytes]]:
    """Runs in a worker thread (smtplib blocks). Returns the recipients the server refused."""
    host, port, timeout = settings.host, settings.effective_port, settings.timeout_seconds
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=_tls_context(settings)
            )
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=_tls_context(settings))
            if settings.username and password is not None:
                client.login(settings.username, password)
            envelope_from = parseaddr(str(message["From"]))[1]
            return client.send_message(message, from_addr=envelope_from, to_addrs=to)
    except Exception as error:
        raise smtp_error(error, settings) from None


def smtp_error(error: Exception, settings: SmtpSettings) -> ConnectorError:
    """A ConnectorError in words for whatever smtplib or the socket raised."""
    server = f"the SMTP server {settings.host}:{settings.effective_port}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return ConnectorError(
            f"{server} rejected the login for {settings.username} ({error.smtp_code})",
            retryable=False,
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = {address: code for address, (code, _) in error.recipients.items()}
        listed = ", ".join(f"{address} ({code})" for address, code in codes.items())
        return ConnectorError(f"{server} refused every recipient: {listed}",
                              retryable=all(400 <= code < 500 for code in codes.values()))
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return ConnectorError(f"{server}: {error} (check SMTP_SECURITY)", retryable=False)
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        return ConnectorError(f"{server} answered {error.smtp_code}: {text[:200]}",
                              retryable=400 <= error.smtp_code < 500)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return ConnectorError(f"{server} closed the connection", retryable=True)
    if isinstance(error, ssl.SSLCertVerificationError):
        return ConnectorError(
            f"{server} has a certificate that is not trusted ({error.verify_message}); "
            "set SMTP_CA_FILE to its CA certificate", retryable=False,
        )
    if isinstance(error, ssl.SSLError):
        return ConnectorError(f"TLS with {server} failed ({error.reason}); check SMTP_SECURITY "
                              "and SMTP_PORT", retryable=False)
    if isinstance(error, TimeoutError):
        return ConnectorError(f"{server} did not answer within {settings.timeout_seconds:g} s",
                              retryable=True)
    if isinstance(error, OSError):
        return ConnectorError(f"could not reach {server}: {error.strerror or error}",
                              retryable=True)
    return ConnectorError(f"sending through {server} failed: {error}", retryable=False)


KIND = NodeKind(
    name="email",
    title="Email",
    category="action",
    description="Sends an email through the configured SMTP server.",
    config=Config,
    icon="mail",
    colour="#dc2626",
    outputs="{'to': [addresses], 'refused': [addresses], 'message_id': str}",
    summary=lambda c: f"To {c.to}: {c.subject}"[:80],
    run=run,
    side_effect=True,
)
