"""The HTTP contract's edges: keys, other brands, bad input, idempotent retries."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.conversations import ACME, ALICE, GLOBEX, new_conversation, say
from tests.utils.sandbox import Sandbox


def _post(client: TestClient, conversation: str, body: dict, headers: dict | None = None):
    return client.post(f"/v1/conversations/{conversation}/messages", json=body, headers=headers or {})


def _body(text: str = "where is my order 1001?", message_id: str = "m1") -> dict:
    return {"message_id": message_id, "text": text, "customer": ALICE}


def test_that_a_request_without_a_key_or_with_an_unknown_key_is_401(client: TestClient) -> None:
    assert _post(client, "c1", _body()).json() == {"detail": "missing Authorization: Bearer <API key>"}
    response = _post(client, "c1", _body(), {"Authorization": "Bearer nope"})
    assert (response.status_code, response.json()) == (401, {"detail": "unknown API key"})


def test_that_another_brands_conversation_is_404_not_403(client: TestClient) -> None:
    conversation = new_conversation()
    say(client, conversation, "where is my order 1001?")
    assert client.get(f"/v1/conversations/{conversation}", headers=ACME).status_code == 200
    response = client.get(f"/v1/conversations/{conversation}", headers=GLOBEX)
    assert (response.status_code, response.json()) == (
        404,
        {"detail": f"conversation {conversation!r} not found"},
    )


def test_that_bad_input_is_422_with_a_reason(client: TestClient) -> None:
    response = _post(client, "c1", {"message_id": "m1", "text": "", "customer": ALICE}, ACME)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
    response = _post(client, "bad id!", _body(), ACME)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "conversation_id"]


def test_that_an_oversized_body_is_413_before_it_is_parsed(client: TestClient) -> None:
    response = _post(client, "c1", _body(text="x" * 70_000), ACME)
    assert (response.status_code, response.json()) == (413, {"detail": "body larger than 64000 bytes"})


def test_that_the_same_message_id_returns_the_same_body_without_a_second_run(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    first = _post(client, conversation, _body(), ACME).json()
    calls = len(sandbox.model_requests())
    again = _post(client, conversation, _body(), ACME).json()
    assert again == first
    assert len(sandbox.model_requests()) == calls
    messages = client.get(f"/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    assert [m["author"] for m in messages] == ["customer", "ai"]


def test_that_the_same_message_id_with_other_text_is_409(client: TestClient) -> None:
    conversation = new_conversation()
    _post(client, conversation, _body(), ACME)
    response = _post(client, conversation, _body(text="something else"), ACME)
    assert (response.status_code, response.json()) == (409, {"detail": "message_id reused with other text"})


def test_that_healthz_answers(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_that_a_nul_character_is_422_with_a_reason_not_a_failed_turn(client: TestClient) -> None:
    response = _post(client, new_conversation(), _body(text="where is\x00 my order 1001?"), ACME)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Value error, must not contain NUL (U+0000) characters"
