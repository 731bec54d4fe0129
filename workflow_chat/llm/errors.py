"""The one exception the LLM layer raises, and its person-readable messages.

Both providers (OpenAI-compatible and Anthropic) translate their SDK errors through these
helpers, so the chat shows the same words whichever model is configured. No message contains
the API key: server text is scrubbed before it is quoted.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from workflow_chat.llm.settings import LLMSettings

_DETAIL_CHARS = 200


class LLMError(Exception):
    """A language model call failed. `message` is safe to show to the person and to log.

    `status` is the HTTP status when the server answered; `retry_after` the seconds it asked to
    wait (429/503), when it said; `retryable` whether asking again may help (429, 5xx, a reset
    connection), which the retry loop reads.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.retryable = retryable


def scrub(text: str, settings: LLMSettings) -> str:
    """`text` on one line, at most _DETAIL_CHARS long, with the API key replaced by ***."""
    # Some servers echo the key back in their error text ("Incorrect API key provided: sk-...").
    if settings.api_key:
        text = text.replace(settings.api_key.get_secret_value(), "***")
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1] + "…"


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait a server asked for: `retry-after-ms`, or `retry-after` in seconds or as an
    HTTP date. None when it asked for nothing readable."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(when - (time.time() if now is None else now), 0.0)


def detail_of(body: Any) -> str:
    """The human part of an error body: OpenAI's {"error": {"message"}} (the SDKs unwrap it to
    {"message"}), Anthropic's {"error": {"message"}}, or plain text."""
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return inner["message"]
        if isinstance(body.get("message"), str):
            return body["message"]
    return body if isinstance(body, str) else ""


def status_error(
    status: int, headers: Mapping[str, str], body: Any, settings: LLMSettings
) -> LLMError:
    """An HTTP error answer, in words; 429 and 5xx are marked retryable."""
    where, key_var = settings.host, settings.key_variable
    if status == 401:
        return LLMError(
            f"The language model at {where} rejected the API key (HTTP 401). Check {key_var}.",
            status=status,
        )
    if status == 403:
        return LLMError(
            f"The language model at {where} refused access (HTTP 403): the API key may lack "
            f"permission for model {settings.model!r}.",
            status=status,
        )
    wait = retry_after_seconds(headers)
    if status == 429:
        hint = f" (it asked to wait {wait:g} s)" if wait is not None else ""
        return LLMError(
            f"The language model at {where} is rate limited, try again shortly{hint}.",
            status=status, retry_after=wait, retryable=True,
        )
    detail = scrub(detail_of(body), settings)
    if status == 404:
        lead = (
            f"The language model at {where} does not know model {settings.model!r} "
            "or this API path (HTTP 404)"
        )
    elif status >= 500:
        lead = f"The language model at {where} had a server error (HTTP {status})"
    else:
        lead = f"The language model at {where} refused the request (HTTP {status})"
    return LLMError(
        f"{lead}: {detail}" if detail else f"{lead}.",
        status=status, retry_after=wait, retryable=status >= 500,
    )


def timeout_error(settings: LLMSettings) -> LLMError:
    # Not retryable: the person has already waited the whole timeout once.
    return LLMError(
        f"The language model at {settings.host} did not answer within "
        f"{settings.timeout_seconds:g} s."
    )


def connection_error(settings: LLMSettings, cause: BaseException | None) -> LLMError:
    """A transport failure. A refused connection or an unknown host is final (nothing listens
    there); a reset or dropped connection is worth another try."""
    if _refused(cause):
        return LLMError(
            f"Could not reach the language model at {settings.host}. Check LLM_BASE_URL and "
            "that the server is running."
        )
    return LLMError(
        f"Could not reach the language model at {settings.host}: the connection was "
        "interrupted. Try again.",
        retryable=True,
    )


def _refused(error: BaseException | None) -> bool:
    # Walk the chain: SDK error → transport ConnectError → the OSError the socket raised.
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, ConnectionRefusedError) or type(error).__name__ == "gaierror":
            return True
        if type(error).__name__ == "ConnectError":  # httpx/httpcore: connect() itself failed
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def stream_broken(settings: LLMSettings, why: str) -> LLMError:
    """The answer started but could not be read to its end."""
    return LLMError(f"The language model at {settings.host} {why}")
