"""`reflex export --frontend-only` (deploy/build.sh, as `make export`) builds a static site that
points at the backend named by REFLEX_API_URL.

The export is the one the Dockerfile's build step made (see image_steps.py), run in a copy of
the repository: a test never exports into the working tree's .web/.
"""

from __future__ import annotations

from tests.packaging.image_steps import BuiltApp


def test_frontend_only_export_builds_a_static_site_for_the_configured_backend(
    built_app: BuiltApp,
) -> None:
    site = built_app.site
    # One HTML file per page: a static host serves /login from login.html (or login/index.html).
    for page in ("index.html", "login.html", "register.html", "404.html"):
        assert (site / page).stat().st_size > 500, page
    bundled = "".join(p.read_text(errors="ignore") for p in site.rglob("*.js"))
    assert f"127.0.0.1:{built_app.api_port}" in bundled, "the build must talk to REFLEX_API_URL"
    assert "localhost:8000" not in bundled, "the default backend URL must not be baked in too"
    styles = "".join(p.read_text(errors="ignore") for p in site.rglob("*.css"))
    assert "react-flow" in styles, "the canvas (React Flow) must be part of the build"
