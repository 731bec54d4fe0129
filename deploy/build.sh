#!/usr/bin/env bash
# Image step 2: the production front end, built once when the image is built, so that the npm
# packages are fetched then (the container starts without the network) and a page that does not
# compile fails the build, not the first start.
#
# Writes .web/build/client/: a static site that finds the backend at REFLEX_API_URL (unset: the
# backend on the page's own host, the single-container case). The same folder can be served from
# any static host (README: Deployment).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=deploy/env.sh
. deploy/env.sh

reflex export --frontend-only --no-zip
