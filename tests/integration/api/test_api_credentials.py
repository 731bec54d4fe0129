"""Secrets through the API: the value goes in and never comes back out."""

from __future__ import annotations

from tests.integration.api.api_users import API

VALUE = "xoxb-api-test-VALUE-4242"


def test_a_secret_value_is_write_only(client, alice):
    made = client.post(f"{API}/credentials", json={"name": "SLACK_TOKEN", "value": VALUE},
                       headers=alice.headers)
    assert made.status_code == 201 and made.json()["name"] == "SLACK_TOKEN"
    replaced = client.put(f"{API}/credentials/SLACK_TOKEN", json={"value": VALUE + "-2"},
                          headers=alice.headers)
    assert replaced.status_code == 200
    listed = client.get(f"{API}/credentials", headers=alice.headers)
    assert [c["name"] for c in listed.json()["items"]] == ["SLACK_TOKEN"]
    for answer in (made, replaced, listed):
        assert VALUE not in answer.text  # not the value, nor a piece of it
        assert "VALUE" not in answer.text
    document = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    assert document["CredentialCreate"]["properties"]["value"]["writeOnly"] is True


def test_names_are_checked_unique_and_listed_in_pages(client, alice):
    for name in ("C_KEY", "A_KEY", "B_KEY"):
        assert client.post(f"{API}/credentials", json={"name": name, "value": "v"},
                           headers=alice.headers).status_code == 201
    again = client.post(f"{API}/credentials", json={"name": "A_KEY", "value": "w"}, headers=alice.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    bad = client.post(f"{API}/credentials", json={"name": "slack url", "value": "v"}, headers=alice.headers)
    assert bad.status_code == 422 and "SLACK_URL" in bad.json()["error"]["message"]
    first = client.get(f"{API}/credentials", params={"limit": 2}, headers=alice.headers).json()
    rest = client.get(f"{API}/credentials", params={"limit": 2, "cursor": first["next_cursor"]},
                      headers=alice.headers).json()
    assert [c["name"] for c in first["items"] + rest["items"]] == ["A_KEY", "B_KEY", "C_KEY"]
    assert rest["next_cursor"] is None
    assert client.delete(f"{API}/credentials/B_KEY", headers=alice.headers).status_code == 204
    assert client.delete(f"{API}/credentials/B_KEY", headers=alice.headers).status_code == 404
    assert client.put(f"{API}/credentials/B_KEY", json={"value": "x"}, headers=alice.headers).status_code == 404
