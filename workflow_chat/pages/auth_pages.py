"""Login and registration pages: one card, one form, one error message. When the server takes
no sign-ups, the register page says so instead of showing its form and the login page drops
its link to it."""

from __future__ import annotations

import reflex as rx

from workflow_chat import routes
from workflow_chat.state.auth_forms import AuthFormState


def _card(title: str, subtitle: str, form: rx.Component, footer: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(rx.icon("workflow", size=24, color=rx.color("accent", 9)),
                          rx.heading("Workflow Chat", size="5"), align="center", spacing="2"),
                rx.heading(title, size="6", margin_top="8px"),
                rx.text(subtitle, size="2", color_scheme="gray"),
                rx.cond(
                    AuthFormState.error_message != "",
                    rx.callout(AuthFormState.error_message, icon="circle-alert", color_scheme="red",
                               size="1", width="100%", data_testid="form-error"),
                ),
                form,
                footer,
                spacing="3",
                width="100%",
            ),
            size="4",
            width="100%",
            max_width="400px",
        ),
        min_height="100vh",
        padding="16px",
        background=rx.color("gray", 2),
    )


def _field(label: str, name: str, kind: str = "text", **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", size="2", weight="medium", html_for=name),
        rx.input(id=name, name=name, type=kind, size="3", width="100%", required=True,
                 on_focus=AuthFormState.clear_error, **props),
        spacing="1",
        width="100%",
    )


def _submit(label: str) -> rx.Component:
    return rx.button(rx.cond(AuthFormState.busy, rx.spinner(size="2"), label), type="submit",
                     size="3", width="100%", disabled=AuthFormState.busy, margin_top="4px")


def login_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            _field("Username or email", "login", auto_complete="username", auto_focus=True),
            _field("Password", "password", "password", auto_complete="current-password"),
            _submit("Log in"),
            spacing="3",
        ),
        on_submit=AuthFormState.login,
    )
    footer = rx.cond(
        AuthFormState.registration_open,
        rx.text("New here? ", rx.link("Create an account", href=routes.REGISTER), size="2"),
        rx.text("New here? Ask the administrator for an account.", size="2", color_scheme="gray",
                data_testid="registration-closed-hint"),
    )
    return _card("Log in", "Welcome back.", form, footer)


def _registration_closed() -> rx.Component:
    return rx.callout(
        "Registration is closed on this server. Ask its administrator for an account, then "
        "log in.", icon="lock", color_scheme="amber", size="2", width="100%",
        data_testid="registration-closed",
    )


def register_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            _field("Username", "username", auto_complete="username", auto_focus=True,
                   min_length=3, max_length=40),
            _field("Email", "email", "email", auto_complete="email"),
            _field("Password", "password", "password", auto_complete="new-password",
                   placeholder="8 to 72 bytes"),
            _field("Confirm password", "confirm", "password", auto_complete="new-password"),
            _submit("Create account"),
            spacing="3",
        ),
        on_submit=AuthFormState.register,
    )
    footer = rx.text("Already registered? ", rx.link("Log in", href=routes.LOGIN), size="2")
    return _card("Create your account", "Describe automations, get workflows.",
                 rx.cond(AuthFormState.registration_open, form, _registration_closed()), footer)
