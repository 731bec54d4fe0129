#!/usr/bin/env bash
# The container's command: apply pending migrations, then serve the front end and the backend
# on ONE port, $PORT (default 8000): Reflex's prod mode does that when --frontend-port equals
# --backend-port.
#
# Reflex compiles the pages and rebuilds the front end at every prod start (about 20-40 s,
# offline: the npm packages came with build.sh). It reads REFLEX_API_URL then, so one image
# serves any public URL.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/env.sh
. deploy/env.sh

port="${PORT:-8000}"
# Migrate before the port opens: an unreachable database or a failing migration stops the
# container at once with the reason, instead of a server that answers and then fails.
python -c 'from workflow_chat.db import migrate; migrate()'
# exec: reflex replaces this shell and receives `docker stop`'s SIGTERM itself; its server
# (granian) then finishes open requests and runs the app's shutdown (the run engine stops).
exec reflex run --env prod --frontend-port "$port" --backend-port "$port"
