"""The rule every text a person enters obeys before it is stored, whichever way it came (the
page or the REST API): no NUL character. PostgreSQL's text type cannot hold one (the write
fails as a server error), SQLite would keep it, and no person means to type it: it comes from
pasted binary data or a crafted request. The API's schemas refuse it too; this is the check
that holds for every caller."""

from __future__ import annotations

from workflow_chat.services.errors import Invalid

NUL = "\x00"


def refuse_nul(text: str, *, what: str) -> str:
    """`text` unchanged; Invalid with a sentence naming `what` ("A chat title") when it holds
    a NUL character."""
    if NUL in text:
        raise Invalid(f"{what} cannot contain a NUL character (\\x00, often from pasted "
                      "binary data): remove it and try again.")
    return text


def without_nul(text: str) -> str:
    """`text` with NUL characters dropped, for text nobody typed (a model's reply) that must be
    stored as well as it can rather than fail."""
    return text.replace(NUL, "")
