"""`built_app`: the Dockerfile's install and build steps, run once per session (image_steps.py)."""

from __future__ import annotations

import pytest

from tests.packaging.image_steps import BuiltApp, build_once


@pytest.fixture(scope="session")
def built_app(tmp_path_factory: pytest.TempPathFactory) -> BuiltApp:
    return build_once(tmp_path_factory)
