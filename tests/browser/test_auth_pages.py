"""Sign-up and log-in in Chromium: clear messages for every refusal, and tokens checked server-side."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import jwt
from playwright.sync_api import Page, expect

from tests.browser.flows import (
    LOGIN_URL,
    PASSWORD,
    fill_registration,
    form_error,
    log_in,
    log_out,
    register,
    unique_name,
)


def test_registration_refusals_are_explained(new_page: Callable[[], Page]) -> None:
    page = new_page()
    taken = register(page)
    log_out(page)

    fill_registration(page, unique_name(), "short12")  # 7 characters
    expect(form_error(page)).to_have_text("Password must be at least 8 characters long.")

    # 37 characters but 74 bytes in UTF-8: the limit is bcrypt's, in bytes.
    fill_registration(page, unique_name(), "é" * 37)
    expect(form_error(page)).to_contain_text("Password is too long: at most 72 bytes")
    expect(form_error(page)).to_contain_text("yours is 74")

    fill_registration(page, unique_name(), PASSWORD, confirm=PASSWORD + "!")
    expect(form_error(page)).to_have_text("The two passwords do not match.")

    fill_registration(page, taken.upper(), PASSWORD)  # usernames are unique ignoring case
    expect(form_error(page)).to_have_text("That username is already taken.")
    expect(page).to_have_url(re.compile(r"/register/?$"))


def test_wrong_password_is_refused_clearly(new_page: Callable[[], Page]) -> None:
    page = new_page()
    username = register(page)
    log_out(page)
    log_in(page, username, "not the password")
    expect(form_error(page)).to_have_text("Wrong username/email or password.")
    expect(page).to_have_url(LOGIN_URL)
    # Focusing a field clears the message, so a retry starts clean.
    page.locator("#password").focus()
    expect(form_error(page)).to_have_count(0)


def test_forged_token_sends_workspace_to_login(new_page: Callable[[], Page]) -> None:
    page = new_page()
    register(page)
    genuine = page.evaluate("() => localStorage.getItem('wc_token')")
    assert genuine and genuine.count(".") == 2, "the session token is kept in localStorage"
    header, claims, _signature = genuine.split(".")

    # Same claims, signed with a key the server does not have.
    forged = jwt.encode({"sub": "1", "exp": datetime.now(timezone.utc) + timedelta(days=1)},
                        "attacker-key-that-is-long-enough-for-hs256", algorithm="HS256")
    tampered = f"{header}.{claims}.{'A' * 43}"
    for token in (forged, tampered):
        fresh = new_page()
        fresh.goto("/login")
        fresh.evaluate("t => localStorage.setItem('wc_token', t)", token)
        fresh.goto("/")
        expect(fresh).to_have_url(LOGIN_URL)
        expect(fresh.locator("#login")).to_be_visible()
        expect(fresh.get_by_test_id("username")).to_have_count(0)
