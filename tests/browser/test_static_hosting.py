"""Static hosting: the exported front end, served by a plain static server, talks to a backend
on another origin (`reflex run --env prod --backend-only`) and a person signs up and logs in.

The export is the one the image's build step made with REFLEX_API_URL=http://127.0.0.1:<port>
(tests/packaging/image_steps.py); the page is served from http://localhost:<other port>, so
every call is cross-origin, and the backend allows exactly that origin
(REFLEX_CORS_ALLOWED_ORIGINS).
"""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, WebSocket, expect

from tests.browser.app_server import VENV_BIN, _answers, _end_group, _free_port
from tests.browser.conftest import VIEWPORT, ErrorLog
from tests.browser.flows import PASSWORD, expect_workspace, log_in, log_out, register
from tests.packaging.image_steps import BuiltApp, build_once
from tests.packaging.static_host import serve_static

STARTUP_TIMEOUT = 120
OTHER_ORIGIN = "http://elsewhere.example"


@dataclass(frozen=True)
class StaticDeployment:
    site_url: str  # the static host (the page's origin)
    api_url: str  # the backend, another origin
    log: Path


def _headers(url: str, origin: str, method: str = "GET") -> dict[str, str]:
    request = urllib.request.Request(url, method=method, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return {k.lower(): v for k, v in error.headers.items()}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticDeployment]:
    built: BuiltApp = build_once(tmp_path_factory)
    with serve_static(built.site, _free_port()) as site_url:
        data = tmp_path_factory.mktemp("backend-data")
        env = {**built.env, "WORKFLOW_CHAT_DATA_DIR": str(data),
               "REFLEX_CORS_ALLOWED_ORIGINS": site_url,
               "JWT_SECRET": "static-hosting-test-" + "s" * 32,
               "WFC_MASTER_KEYS": Fernet.generate_key().decode()}
        log = data / "backend.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--backend-only",
                 "--backend-port", str(built.api_port)],
                cwd=built.root, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while not _answers(f"{built.api_url}/api/v1/health"):
                assert proc.poll() is None, f"backend exited:\n{log.read_text()[-4000:]}"
                assert time.monotonic() < deadline, f"backend not up:\n{log.read_text()[-4000:]}"
                time.sleep(0.5)
            yield StaticDeployment(site_url=site_url, api_url=built.api_url, log=log)
        finally:
            _end_group(proc)
    assert "Traceback" not in log.read_text(), log.read_text()[-6000:]


def test_static_host_serves_pages_the_way_a_typical_host_does(deployment: StaticDeployment) -> None:
    for path in ("/", "/login", "/register"):
        with urllib.request.urlopen(deployment.site_url + path, timeout=5) as response:
            assert response.status == 200, path
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(deployment.site_url + "/no-such-page", timeout=5)
    assert missing.value.code == 404  # with the app shell (404.html), which shows "not found"


def test_backend_allows_only_the_static_sites_origin(deployment: StaticDeployment) -> None:
    health = f"{deployment.api_url}/api/v1/health"
    allowed = _headers(health, deployment.site_url)
    assert allowed.get("access-control-allow-origin") == deployment.site_url
    preflight = _headers(health, deployment.site_url, method="OPTIONS")
    assert preflight.get("access-control-allow-origin") == deployment.site_url
    assert "access-control-allow-origin" not in _headers(health, OTHER_ORIGIN)
    assert "access-control-allow-origin" not in _headers(health, OTHER_ORIGIN, method="OPTIONS")


def test_sign_up_and_log_in_through_the_static_site(
    deployment: StaticDeployment, chromium: Browser, browser_errors: ErrorLog,
) -> None:
    context = chromium.new_context(viewport=VIEWPORT, base_url=deployment.site_url)
    context.set_default_timeout(20_000)
    sockets: list[WebSocket] = []
    try:
        page = browser_errors.watch(context.new_page())
        page.on("websocket", lambda ws: sockets.append(ws))
        username = register(page)
        log_out(page)
        log_in(page, username, PASSWORD)
        expect_workspace(page, username)
        expect(page.get_by_test_id("username")).to_have_text(username)
        assert page.url.startswith(deployment.site_url)
        backend_ws = deployment.api_url.replace("http://", "ws://")
        assert sockets and all(ws.url.startswith(backend_ws) for ws in sockets), \
            [ws.url for ws in sockets]
    finally:
        context.close()
