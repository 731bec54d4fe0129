"""schemathesis against the API's own OpenAPI document: generated requests (authenticated as a
real user who owns a project, a prompt, a chat with a workflow, a run and a secret) never get a
server error, and every answer matches the document."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.api.api_runs import set_graph, wait_for_run
from tests.integration.api.api_users import API, Caller
from workflow_chat.api.app import api

pytestmark = [
    pytest.mark.usefixtures("engine"),
    # schemathesis's own strategies draw from `random`; not ours to fix.
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning"),
]

# Loaded once: building the document needs no database.
SCHEMA = schemathesis.openapi.from_asgi(f"{API}/openapi.json", api)
# Per operation and database: about 12 s per database here. API_SCHEMA_EXAMPLES=200 digs deeper.
EXAMPLES = int(os.environ.get("API_SCHEMA_EXAMPLES", "12"))
# Beyond the two the issue asks for: every status, content type and header is declared too.
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance, response_headers_conformance]


def _seed(client, user: Caller) -> None:
    """Things with small ids, so generated ids often hit real rows and not only 404."""
    headers = user.headers
    project = client.post(f"{API}/projects", json={"name": "Seeded"}, headers=headers).json()["id"]
    client.post(f"{API}/projects/{project}/prompts", json={"name": "P", "text": "Be brief."},
                headers=headers)
    chat = client.post(f"{API}/chats", json={"project_id": project}, headers=headers).json()["id"]
    client.post(f"{API}/chats/{chat}/messages", headers=headers,
                json={"content": "when I click run, fetch https://example.com/x and email me"})
    runnable = client.post(f"{API}/chats", json={"title": "Runs"}, headers=headers).json()["id"]
    set_graph(user.id, runnable)
    run = client.post(f"{API}/chats/{runnable}/runs", json={"input": {"name": "x"}}, headers=headers)
    wait_for_run(client, run.json()["id"], headers)
    client.post(f"{API}/credentials", json={"name": "SEEDED", "value": "v"}, headers=headers)


def test_generated_requests_get_no_server_error_and_answers_match_the_document(client, alice):
    _seed(client, alice)
    failures: list[str] = []
    for result in SCHEMA.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=alice.headers, checks=CHECKS)

        try:
            exercise()
        except Exception as error:  # noqa: BLE001  (collect every operation's failure, then report)
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
