"""A browser tab without the browser: speaks Reflex's websocket event protocol as the compiled
front end does (reflex_base/.templates/web/utils/state.js and .web/utils/context.jsx).

- socket.io on `<backend>/_event`, websocket transport, the tab's token in the query string;
- the hydrate event rides in the CONNECT packet's auth payload, with the local-storage vars the
  browser holds (here: the JWT), so the server restores them before it sends the state;
- an event is `{"name": "<state full name>.<handler>", "payload": {arg: value},
  "router_data": {"pathname", "asPath"}}`, emitted as socket.io event "event";
- the server answers with socket.io "event" messages `{"delta": {state: {var_rx_state_: value}},
  "events": [...]}`; Reflex 0.10 no longer marks the last one, so callers wait for the state
  they expect (`wait_for`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import socketio

FIELD_MARKER = "_rx_state_"  # reflex_base.constants.state.FIELD_MARKER
ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
UPDATE_VARS = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
# The socket.io path and namespace are both /_event (the front end connects to ws://host/_event).
NAMESPACE = "/_event"


class ReflexClient:
    """One tab: a token, the state it was sent, and the local storage a browser would keep.

    `storage_vars` names the client-storage vars (`"<state full name>.<var>"`) whose values the
    client keeps, as the browser keeps rx.LocalStorage vars, and sends back on every hydrate.
    """

    def __init__(self, backend_url: str, *, token: str | None = None,
                 storage_vars: tuple[str, ...] = (), local_storage: dict[str, str] | None = None,
                 timeout: float = 20.0) -> None:
        self.backend_url = backend_url.rstrip("/")
        self.token = token or str(uuid.uuid4())
        self.timeout = timeout
        self.state: dict[str, dict[str, Any]] = {}
        self.storage_keys = {_field_key(v) for v in storage_vars}
        self.local_storage: dict[str, str] = dict(local_storage or {})
        self.path = "/"
        self.redirects: list[str] = []  # paths the server sent the tab to (rx.redirect)
        self.server_events: list[dict[str, Any]] = []  # frontend events (toasts, focus ...)
        self.updates = 0
        self._changed = asyncio.Event()
        self._sio = socketio.AsyncClient(reconnection=False)
        self._sio.on("event", self._on_update, namespace=NAMESPACE)
        self._sio.on("new_token", self._on_new_token, namespace=NAMESPACE)

    # --- connection ----------------------------------------------------------------------
    async def connect(self, path: str = "/") -> float:
        """Open the socket with the hydrate event, as a page load does; returns the seconds
        until the page is hydrated (its on_load handlers included)."""
        self.path = path
        started = time.perf_counter()
        hydrate = self._event(HYDRATE, {"vars": dict(self.local_storage)} if self.local_storage else {})
        self._set(ROOT_STATE, "is_hydrated", False)
        await self._sio.connect(
            f"{self.backend_url}?token={self.token}", socketio_path=NAMESPACE,
            namespaces=[NAMESPACE], transports=["websocket"], auth={"event": hydrate},
            wait_timeout=self.timeout,
        )
        await self.wait_for(lambda c: c.get(ROOT_STATE, "is_hydrated") is True)
        return time.perf_counter() - started

    async def close(self) -> None:
        await self._sio.disconnect()
        # python-socketio returns before its aiohttp session has closed.
        await asyncio.sleep(0)

    async def __aenter__(self) -> ReflexClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def navigate(self, path: str) -> float:
        """What the router does on a client-side navigation: sync local storage, run on_load."""
        self.path = path
        started = time.perf_counter()
        self._set(ROOT_STATE, "is_hydrated", False)
        if self.local_storage:
            await self.emit(UPDATE_VARS, {"vars": dict(self.local_storage)})
        await self.emit(ON_LOAD)
        await self.wait_for(lambda c: c.get(ROOT_STATE, "is_hydrated") is True)
        return time.perf_counter() - started

    # --- events --------------------------------------------------------------------------
    async def emit(self, name: str, payload: dict[str, Any] | None = None) -> None:
        await self._sio.emit("event", self._event(name, payload or {}), namespace=NAMESPACE)

    async def call(self, name: str, payload: dict[str, Any] | None,
                   until: Callable[[ReflexClient], bool]) -> float:
        """Send an event and wait until the state satisfies `until`; returns the round trip
        in seconds (sent → the delta that made `until` true received)."""
        started = time.perf_counter()
        await self.emit(name, payload)
        await self.wait_for(until)
        return time.perf_counter() - started

    async def wait_for(self, condition: Callable[[ReflexClient], bool],
                       timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or self.timeout)
        while not condition(self):
            self._changed.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._sio.connected:
                raise TimeoutError(f"state never matched (token {self.token}); "
                                   f"connected={self._sio.connected}")
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def get(self, state: str, var: str, default: Any = None) -> Any:
        """A var of a state (full state name, var name without Reflex's field marker)."""
        return self.state.get(state, {}).get(var + FIELD_MARKER, default)

    # --- internals -----------------------------------------------------------------------
    def _event(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "payload": payload,
                "router_data": {"pathname": self.path, "asPath": self.path}}

    def _set(self, state: str, var: str, value: Any) -> None:
        self.state.setdefault(state, {})[var + FIELD_MARKER] = value

    async def _on_update(self, update: dict[str, Any]) -> None:
        for state_name, values in (update.get("delta") or {}).items():
            self.state.setdefault(state_name, {}).update(values)
            for key, value in values.items():
                if f"{state_name}.{key}" in self.storage_keys:
                    self.local_storage[f"{state_name}.{key}"] = value
        for event in update.get("events") or []:
            if event.get("name") == "_redirect":
                self.redirects.append(event.get("payload", {}).get("path"))
            else:
                self.server_events.append(event)
        self.updates += 1
        self._changed.set()

    async def _on_new_token(self, token: str) -> None:
        # The server saw this token on another live socket (a duplicated tab) and gave this
        # socket a new one, as the browser would store in its session storage.
        self.token = token


def _field_key(var: str) -> str:
    state, _, name = var.rpartition(".")
    return f"{state}.{name.removesuffix(FIELD_MARKER)}{FIELD_MARKER}"


# --- workflow-chat's own flows over the protocol ---------------------------------------------
# Names come from the state classes, so a moved or renamed state breaks here, not silently.
from workflow_chat.state.auth_forms import AuthFormState  # noqa: E402
from workflow_chat.state.conversation import ConversationState  # noqa: E402
from workflow_chat.state.session import SessionState  # noqa: E402
from workflow_chat.state.workspace import WorkspaceState  # noqa: E402

SESSION = SessionState.get_full_name()
AUTH = AuthFormState.get_full_name()
WORKSPACE = WorkspaceState.get_full_name()
CONVERSATION = ConversationState.get_full_name()
TOKEN_VAR = f"{SESSION}.token"  # rx.LocalStorage("wc_token"): the JWT the browser keeps


def chat_tab(backend_url: str, **kwargs: Any) -> ReflexClient:
    """A tab of the app that keeps the session JWT in its local storage."""
    return ReflexClient(backend_url, storage_vars=(TOKEN_VAR,), **kwargs)


def _signed_in_or_refused(tab: ReflexClient) -> bool:
    # The token's delta and the redirect to the workspace may arrive in separate messages.
    return bool(tab.get(AUTH, "error_message")) or (bool(tab.get(SESSION, "token")) and bool(tab.redirects))


async def register(tab: ReflexClient, username: str, password: str) -> float:
    """Sign up on the register page and follow the redirect to the workspace; returns the
    register event's round trip. Raises with the form's message when the server refuses."""
    seconds = await tab.call(f"{AUTH}.register", {"form": {
        "username": username, "email": f"{username}@example.test",
        "password": password, "confirm": password}}, until=_signed_in_or_refused)
    if error := tab.get(AUTH, "error_message"):
        raise RuntimeError(f"register refused: {error}")
    await tab.navigate(tab.redirects[-1])
    return seconds


async def login(tab: ReflexClient, username: str, password: str) -> float:
    """Log in on the login page and follow the redirect to the workspace."""
    seconds = await tab.call(f"{AUTH}.login", {"form": {"login": username, "password": password}},
                             until=_signed_in_or_refused)
    if error := tab.get(AUTH, "error_message"):
        raise RuntimeError(f"login refused: {error}")
    await tab.navigate(tab.redirects[-1])
    return seconds


async def new_chat(tab: ReflexClient) -> float:
    """Open a fresh chat (the "New chat" button)."""
    before = tab.get(WORKSPACE, "current_chat_id")
    return await tab.call(f"{WORKSPACE}.new_chat", None,
                          until=lambda c: c.get(WORKSPACE, "current_chat_id") not in (0, before))


async def send_message(tab: ReflexClient, text: str) -> float:
    """Send a message and wait for the whole answer (the assistant's message stored and shown,
    nothing sending any more); returns sent → that last delta."""
    count = len(tab.get(WORKSPACE, "messages", []))

    def answered(c: ReflexClient) -> bool:
        shown = c.get(WORKSPACE, "messages", [])
        return (len(shown) >= count + 2 and shown[-1]["role"] == "assistant"
                and not c.get(WORKSPACE, "sending"))

    return await tab.call(f"{CONVERSATION}.start_turn", {"form": {"message": text}}, until=answered)
