"""Browser-test fixtures: the real app (see app_server.py) and Chromium pages that fail on errors.

`app_server` runs the app with no LLM settings, so the offline planner answers; `llm_app_server`
points it at a local fake OpenAI server (those tests run last: one server at a time). A Python
traceback in a server log fails the test in which it appeared, and the session; a console
error or an uncaught exception in any page a test opened fails that test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from tests.browser.app_server import AppServer, ServerPool
from tests.support.fake_openai import FakeOpenAI
from tests.support.fixtures import FAKE_API_KEY

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
# Playwright's 5 s default is tight for a bcrypt-cost-12 login on a busy 2-core machine.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def server_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerPool]:
    pool = ServerPool(tmp_path_factory.mktemp("servers"))
    yield pool
    pool.stop()
    for server in pool.finished:
        count = server.log_text().count("Traceback")
        assert not count, (f"{server.log_path} has {count} traceback(s):\n"
                           f"{server.log_text()[-6000:]}")


def _watched(server: AppServer) -> Iterator[AppServer]:
    """Yield the server; fail the test if the server logged a traceback meanwhile."""
    offset = server.log_size()
    yield server
    time.sleep(0.2)  # let an error from the test's last event reach the log
    new = server.log_since(offset)
    assert "Traceback" not in new, f"server traceback during this test:\n{new[-6000:]}"


@pytest.fixture
def app_server(server_pool: ServerPool) -> Iterator[AppServer]:
    """The app with no LLM settings: the offline planner answers."""
    yield from _watched(server_pool.get())


@pytest.fixture(scope="session")
def session_fake_openai() -> Iterator[FakeOpenAI]:
    """One fake OpenAI server for the LLM-configured app (its URL is baked into that app's env)."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def llm_app_server(server_pool: ServerPool, session_fake_openai: FakeOpenAI) -> Iterator[AppServer]:
    """The app talking to `session_fake_openai` (script its answers before sending)."""
    session_fake_openai.requests.clear()
    env = {"LLM_API_KEY": FAKE_API_KEY, "LLM_BASE_URL": session_fake_openai.base_url,
           "LLM_MODEL": "fake-model", "LLM_TIMEOUT_SECONDS": "10",
           # No automatic retries: a scripted failure reaches the chat, where Retry is tested.
           "LLM_MAX_RETRIES": "0"}
    yield from _watched(server_pool.get(env))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests last: Playwright's sync API keeps an event loop running in the main thread
    # until the session ends, and asyncio.run() in later tests would fail. Among them, tests on
    # the LLM-configured app last, so the server is switched once per session.
    browser_dir = Path(__file__).parent
    items.sort(key=lambda item: (browser_dir in Path(str(item.path)).parents,
                                 "llm_app_server" in getattr(item, "fixturenames", ())))


# Named so as not to shadow pytest-playwright's `browser`/`page` fixtures: overriding those makes
# that plugin parametrise every test by browser name and pull in its own machinery.
@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class ErrorLog:
    entries: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        def on_console(message: ConsoleMessage) -> None:
            if message.type != "error":
                return
            location = message.location or {}
            self.entries.append(f"console.error {message.text!r} at {location.get('url', '')}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.entries.append(f"pageerror {error!r}"))
        return page


@pytest.fixture
def browser_errors() -> Iterator[ErrorLog]:
    """Console errors and uncaught page errors of every page a test opened; any fails it."""
    log = ErrorLog()
    yield log
    assert not log.entries, "browser errors:\n" + "\n".join(log.entries)


@pytest.fixture
def new_page(request: pytest.FixtureRequest, chromium: Browser,
             browser_errors: ErrorLog) -> Iterator[Callable[[], Page]]:
    """Open a page in a fresh context (its own localStorage: a separate user), watched for errors.

    Pages open on `llm_app_server` when the test asks for it, else on `app_server`.
    """
    which = "llm_app_server" if "llm_app_server" in request.fixturenames else "app_server"
    server: AppServer = request.getfixturevalue(which)
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = chromium.new_context(viewport=VIEWPORT, base_url=server.url)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return browser_errors.watch(context.new_page())

    yield make
    for context in contexts:
        context.close()

