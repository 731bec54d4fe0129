"""The email connector against a real local SMTP server (aiosmtpd): plain, STARTTLS and
implicit TLS, with a self-signed certificate made by the openssl command for each session."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import Secrets
from workflow_chat.nodes import email as email_node
from workflow_chat.nodes.email import Config, message_id

PASSWORD = "pa55-SECRET-word"
USER = "robot@example.org"
CONFIG = {"to": "Ada <ada@example.org>; bob@example.org",
          "subject": "Report for {{ trigger.day }}",
          "body": "Hello,\n{{ nodes.summarise.output.text }}\n"}


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps what it received, refuses scripted recipients."""

    received: list[tuple[str, list[str], Message]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply

    async def handle_RCPT(  # noqa: ANN001
        self, server, session, envelope, address, rcpt_options
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        message = message_from_bytes(envelope.original_content)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def authenticate(  # noqa: ANN001
        self, server, session, envelope, mechanism, auth_data
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password))
        # handled=False: aiosmtpd then answers 535 itself (its default leaves the client waiting).
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)


class _Controller(Controller):
    # aiosmtpd cannot be told port 0; read the port the OS picked before it pokes its server.
    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class SmtpServer:
    inbox: Inbox
    port: int


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HOST", "PORT", "SECURITY", "USERNAME", "FROM", "PASSWORD_SECRET", "CA_FILE",
                 "TIMEOUT_SECONDS"):
        monkeypatch.delenv(f"SMTP_{name}", raising=False)
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_FROM", "Workflow <robot@example.org>")
    monkeypatch.setenv("SMTP_TIMEOUT_SECONDS", "5")
    return monkeypatch


def _serve(
    env: pytest.MonkeyPatch, security: str, ca_file: Path | None = None, **kwargs: Any
) -> Iterator[SmtpServer]:
    """Run an aiosmtpd server with `kwargs` and point the SMTP_* settings at it."""
    inbox = Inbox()
    controller = _Controller(inbox, hostname="127.0.0.1", port=0, authenticator=inbox.authenticate,
                             **kwargs)
    controller.start()
    env.setenv("SMTP_PORT", str(controller.port))
    env.setenv("SMTP_SECURITY", security)
    if ca_file is not None:  # the TLS servers also ask for a login
        env.setenv("SMTP_CA_FILE", str(ca_file))
        env.setenv("SMTP_USERNAME", USER)
    try:
        yield SmtpServer(inbox, controller.port)
    finally:
        controller.stop()


@pytest.fixture
def plain_server(smtp_env: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    yield from _serve(smtp_env, "none", auth_require_tls=False)


@pytest.fixture
def starttls_server(
    smtp_env: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> Iterator[SmtpServer]:
    yield from _serve(smtp_env, "starttls", certificate[0],
                      tls_context=_server_context(certificate), require_starttls=True)


@pytest.fixture
def tls_server(
    smtp_env: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> Iterator[SmtpServer]:
    # Implicit TLS: the whole connection is TLS, so AUTH needs no STARTTLS first.
    yield from _serve(smtp_env, "tls", certificate[0],
                      ssl_context=_server_context(certificate), auth_require_tls=False)


def _ctx(env: dict[str, str] | None = None, node: str = "mail") -> RunContext:
    secrets = Secrets({"WFC_SECRET_SMTP_PASSWORD": PASSWORD} if env is None else env)
    return RunContext("run-9", node, outputs={"summarise": {"text": "All systems go."}},
                      trigger={"day": "Monday"}, secrets=secrets)


def _send(config: dict[str, Any] | None = None, ctx: RunContext | None = None) -> dict[str, Any]:
    return asyncio.run(email_node.run(Config.model_validate(config or CONFIG), ctx or _ctx()))


def _fails(config: dict[str, Any] | None = None, ctx: RunContext | None = None) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        _send(config, ctx)
    assert PASSWORD not in caught.value.message
    return caught.value


def test_sends_the_rendered_message_over_plain_smtp(plain_server: SmtpServer) -> None:
    output = _send()
    (mail_from, rcpt_tos, message), = plain_server.inbox.received
    assert mail_from == "robot@example.org"
    assert rcpt_tos == ["ada@example.org", "bob@example.org"]
    assert message["Subject"] == "Report for Monday"
    assert message["To"] == "Ada <ada@example.org>, bob@example.org"
    assert message["X-Idempotency-Key"] == "run-9:mail"
    # SMTP carries CRLF line ends.
    assert message.get_payload(decode=True).decode() == "Hello,\r\nAll systems go.\r\n"
    assert output == {"to": ["ada@example.org", "bob@example.org"], "refused": [],
                      "message_id": message["Message-ID"]}
    assert plain_server.inbox.logins == []  # no SMTP_USERNAME: no login


def test_the_message_id_repeats_for_the_same_run_and_node(plain_server: SmtpServer) -> None:
    first, again, other = _send(), _send(), _send(ctx=_ctx(node="mail2"))
    assert first["message_id"] == again["message_id"] == message_id("run-9:mail", USER)
    assert other["message_id"] != first["message_id"]
    assert first["message_id"].endswith("@example.org>")


def test_a_newline_in_the_subject_cannot_add_headers(plain_server: SmtpServer) -> None:
    _send({**CONFIG, "subject": "Hi\r\nBcc: eve@example.org"})
    message = plain_server.inbox.received[0][2]
    assert message["Subject"] == "Hi Bcc: eve@example.org" and message["Bcc"] is None


def test_starttls_logs_in_with_the_password_secret(starttls_server: SmtpServer) -> None:
    _send()
    assert starttls_server.inbox.logins == [(USER, PASSWORD)]
    assert len(starttls_server.inbox.received) == 1


def test_the_password_secret_name_is_configurable(
    starttls_server: SmtpServer, smtp_env: pytest.MonkeyPatch
) -> None:
    smtp_env.setenv("SMTP_PASSWORD_SECRET", "MAIL_PW")
    _send(ctx=_ctx({"WFC_SECRET_MAIL_PW": PASSWORD}))
    assert starttls_server.inbox.logins == [(USER, PASSWORD)]


def test_implicit_tls_works(tls_server: SmtpServer) -> None:
    _send()
    assert tls_server.inbox.logins == [(USER, PASSWORD)]
    assert len(tls_server.inbox.received) == 1


def test_an_untrusted_certificate_stops_before_the_password_is_sent(
    starttls_server: SmtpServer, smtp_env: pytest.MonkeyPatch
) -> None:
    smtp_env.delenv("SMTP_CA_FILE")
    error = _fails()
    assert not error.retryable and "not trusted" in error.message
    assert "SMTP_CA_FILE" in error.message
    assert starttls_server.inbox.logins == []


def test_a_wrong_password_is_final_and_never_quoted(starttls_server: SmtpServer) -> None:
    error = _fails(ctx=_ctx({"WFC_SECRET_SMTP_PASSWORD": "wrong-" + PASSWORD}))
    assert not error.retryable and f"rejected the login for {USER} (535)" in error.message
    assert "wrong-" not in error.message


def test_a_missing_password_secret_is_named(starttls_server: SmtpServer) -> None:
    error = _fails(ctx=_ctx({}))
    assert not error.retryable and error.message.startswith("secret SMTP_PASSWORD is not set")


def test_starttls_against_a_server_without_it_is_a_settings_error(
    plain_server: SmtpServer, smtp_env: pytest.MonkeyPatch
) -> None:
    smtp_env.setenv("SMTP_SECURITY", "starttls")
    error = _fails()
    assert not error.retryable and "STARTTLS" in error.message and "SMTP_SECURITY" in error.message


def test_partly_refused_recipients_are_reported(plain_server: SmtpServer) -> None:
    plain_server.inbox.refuse["bob@example.org"] = "550 no such user"
    output = _send()
    assert output["to"] == ["ada@example.org"] and output["refused"] == ["bob@example.org"]


@pytest.mark.parametrize(("reply", "retryable"), [("550 no such user", False),
                                                  ("451 try later", True)])
def test_all_recipients_refused(plain_server: SmtpServer, reply: str, retryable: bool) -> None:
    plain_server.inbox.refuse.update({"ada@example.org": reply, "bob@example.org": reply})
    error = _fails()
    assert error.retryable is retryable and "refused every recipient" in error.message


def test_an_unreachable_server_is_retryable(smtp_env: pytest.MonkeyPatch) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        smtp_env.setenv("SMTP_PORT", str(free.getsockname()[1]))
    smtp_env.setenv("SMTP_SECURITY", "none")
    error = _fails()
    assert error.retryable and "could not reach the SMTP server" in error.message


def test_without_smtp_host_it_says_what_to_set(smtp_env: pytest.MonkeyPatch) -> None:
    smtp_env.delenv("SMTP_HOST")
    assert _fails().message == "no SMTP server is configured: set SMTP_HOST"


@pytest.mark.parametrize(("to", "reason"), [("", "no recipient address"),
                                            ("not an address", "is not an email address"),
                                            ("{{ trigger.nobody }}", "unknown name")])
def test_bad_recipients_send_nothing(plain_server: SmtpServer, to: str, reason: str) -> None:
    error = _fails({**CONFIG, "to": to})
    assert not error.retryable and error.message.startswith("to: ") and reason in error.message
    assert plain_server.inbox.received == []
