#!/usr/bin/env bash
# Image step 1: a virtualenv with the pinned requirements (requirements.txt only, so Docker
# caches this layer until the pins change).
#
# VENV_DIR: where (default ./.venv). A venv that already exists is reused and pip only checks
# that every pin is satisfied: a test or a CI cache skips the minutes a fresh install takes while
# running this same script. pip's own variables apply too, e.g. PIP_FIND_LINKS=/wheels
# PIP_NO_INDEX=1 to install from a wheel directory without the network.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${VENV_DIR:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet -r requirements.txt
