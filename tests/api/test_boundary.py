"""The HTTP contract's door: hostile strings, heavy bodies and headers are 4xx with a short reason,
never an echo of the input and never a 5xx (issue #18). In process; `tests/launch/test_edge_probes.py`
sends the same over real sockets to `make run`'s launcher."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import MAX_ERRORS, MAX_LOC_CHARS, error_details
from api.limits import MAX_JSON_DEPTH, MAX_JSON_MEMBERS, json_shape_problem
from bench.edge_probes import event, many_keys, message
from config.settings import Settings
from tests.utils.conversations import ACME
from tests.utils.sandbox import Sandbox

JSON = {**ACME, "Content-Type": "application/json"}
MESSAGES, EVENTS = "/v1/conversations/door-1/messages", "/v1/conversations/door-1/events"
SURROGATE, NUL = '"\\ud800"', '"\\u0000"'
NUL_REASON = "Value error, must not contain NUL (U+0000) characters"
SURROGATE_REASON = "Value error, must not contain lone surrogates (U+D800 to U+DFFF)"
UNICODE_REASON = "Input should be a valid string, unable to parse raw data as a unicode string"


@pytest.fixture(scope="module")
def door(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("door")
    with TestClient(create_app(Settings(env="dev", data_dir=data_dir))) as client:
        yield client


def post(client: TestClient, path: str, raw_json: str | bytes) -> tuple[int, dict]:
    body = raw_json.encode() if isinstance(raw_json, str) else raw_json
    response = client.post(path, content=body, headers=JSON)
    assert response.status_code < 500, response.text
    assert len(response.content) < 4_000, f"{len(response.content)} bytes back"
    return response.status_code, response.json()


HOSTILE = [
    ("message text, surrogate", MESSAGES, message(text=SURROGATE), ["body", "text"], UNICODE_REASON),
    ("message text, NUL", MESSAGES, message(text=NUL), ["body", "text"], NUL_REASON),
    ("customer id, surrogate", MESSAGES, message(customer_id=SURROGATE), ["body", "customer", "id"], UNICODE_REASON),
    ("customer id, NUL", MESSAGES, message(customer_id=NUL), ["body", "customer", "id"], NUL_REASON),
    ("email, surrogate", MESSAGES, message(email='"a\\ud800@b.c"'), ["body", "customer", "email"], SURROGATE_REASON),
    ("email, NUL", MESSAGES, message(email='"a\\u0000@b.c"'), ["body", "customer", "email"], NUL_REASON),
    ("event text, surrogate", EVENTS, event(text=SURROGATE), ["body", "text"], SURROGATE_REASON),
    ("event text, NUL", EVENTS, event(text=NUL), ["body", "text"], NUL_REASON),
    ("event author, surrogate", EVENTS, event(author=SURROGATE), ["body", "author"], SURROGATE_REASON),
    ("event author, NUL", EVENTS, event(author=NUL), ["body", "author"], NUL_REASON),
]  # fmt: skip


@pytest.mark.parametrize(("field", "path", "body", "loc", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_that_a_lone_surrogate_or_a_nul_in_any_string_field_is_422_naming_the_field_without_the_input(
    door: TestClient, field: str, path: str, body: str, loc: list[str], reason: str
) -> None:
    status, answer = post(door, path, body)
    assert (status, answer["detail"]) == (
        422,
        [{"type": answer["detail"][0]["type"], "loc": loc, "msg": reason}],
    )


def test_that_the_same_surrogate_in_the_ids_is_422_too(door: TestClient) -> None:
    body = message().replace('"m-probe"', SURROGATE)
    assert post(door, MESSAGES, body) == (
        422,
        {"detail": [{"type": "string_unicode", "loc": ["body", "message_id"], "msg": UNICODE_REASON}]},
    )
    assert post(door, EVENTS, event().replace('"e-probe"', SURROGATE))[0] == 422


def test_that_a_422_never_echoes_the_input_nor_its_context(door: TestClient) -> None:
    secret_looking = "sk-live-" + "q" * 30_000  # too long for `text`: FastAPI's 422 sent it all back
    status, answer = post(door, MESSAGES, message(text=f'"{secret_looking}"'))
    assert (status, answer["detail"]) == (
        422,
        [
            {
                "type": "string_too_long",
                "loc": ["body", "text"],
                "msg": "String should have at most 20000 characters",
            }
        ],
    )
    status, answer = post(door, MESSAGES, '{"message_id": 5, "text": ["x"], "customer": "c"}')
    assert status == 422
    assert [sorted(error) for error in answer["detail"]] == [["loc", "msg", "type"]] * 3


def test_that_a_clients_own_keys_come_back_short_and_encodable_in_loc(door: TestClient) -> None:
    long_key = "k" * 500
    status, answer = post(door, MESSAGES, message().replace('"cus_probe"', f'"c", "{long_key}": 1'))
    assert (status, answer["detail"]) == (
        422,
        [
            {
                "type": "extra_forbidden",
                "loc": ["body", "customer", "k" * MAX_LOC_CHARS + "..."],
                "msg": "Extra inputs are not permitted",
            }
        ],
    )
    status, answer = post(door, MESSAGES, message().replace('"cus_probe"', '"c", "x\\ud800y": 1'))
    assert (status, answer["detail"][0]["loc"]) == (422, ["body", "customer"])
    assert error_details([{"type": "t", "loc": ("body", "x\ud800y"), "msg": "m\udfff"}]) == [
        {"type": "t", "loc": ["body", "x\ufffdy"], "msg": "m\ufffd"}
    ]


def test_that_a_422_lists_at_most_the_first_errors_and_counts_the_rest(door: TestClient) -> None:
    keys = ", ".join(f'"extra{i}": 0' for i in range(MAX_ERRORS + 30))
    status, answer = post(door, MESSAGES, message().replace('"cus_probe"', f'"c", {keys}'))
    assert status == 422
    assert len(answer["detail"]) == MAX_ERRORS + 1
    assert answer["detail"][-1] == {"type": "too_many_errors", "loc": [], "msg": "30 more errors not listed"}


def test_that_a_surrogate_encoded_as_utf8_bytes_is_422_too(door: TestClient) -> None:
    status, answer = post(door, MESSAGES, message().encode().replace(b"hello", b"he\xed\xa0\x80llo"))
    assert (status, answer["detail"]) == (
        422,
        [{"type": "string_unicode", "loc": ["body", "text"], "msg": UNICODE_REASON}],
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
            f"nested deeper than {MAX_JSON_DEPTH} levels",
        ),
        (
            many_keys(MAX_JSON_MEMBERS).decode(),
            f"with more than {MAX_JSON_MEMBERS} members (keys and array items)",
        ),
        ("[" + "0," * 5_000 + "0]", f"with more than {MAX_JSON_MEMBERS} members (keys and array items)"),
    ],
    ids=["deep", "wide object", "wide array"],
)
def test_that_a_body_under_the_cap_too_deep_or_too_wide_is_422_before_it_is_parsed(
    door: TestClient, body: str, reason: str
) -> None:
    assert post(door, MESSAGES, body) == (422, {"detail": f"JSON body {reason}"})


def test_that_the_json_shape_check_skips_strings_and_stays_linear_on_unbalanced_quotes() -> None:
    assert json_shape_problem(b'{"text": "' + b"[{," * 20_000 + b'"}') is None
    assert json_shape_problem(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is None
    assert json_shape_problem(b'{"a": "\\"[[[[", "b": 1}', max_depth=1) is None
    hostile = b'\\"' * 32_000  # every quote escaped: a naive string pattern rescans from each one
    started = time.monotonic()
    assert json_shape_problem(hostile) is None
    assert json_shape_problem(b'"' + b"a" * 64_000) is None
    assert time.monotonic() - started < 0.5


def test_that_a_body_over_the_cap_sent_in_chunks_is_413(door: TestClient) -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"message_id": "m1", "text": "'
        for _ in range(200):  # 1 MB, no Content-Length: the test client sends it chunked
            yield b"x" * 5_000
        yield b'"}'

    response = door.post(MESSAGES, content=pieces(), headers=JSON)
    assert "content-length" not in response.request.headers
    assert (response.status_code, response.json()) == (413, {"detail": "body larger than 64000 bytes"})
    assert response.headers["connection"] == "close"


def test_that_headers_over_the_cap_are_431(door: TestClient) -> None:
    response = door.get("/healthz", headers={"X-Padding": "a" * 17_000})
    assert (response.status_code, response.json()) == (
        431,
        {"detail": "request headers larger than 16384 bytes"},
    )
    assert door.get("/healthz", headers={"X-Padding": "a" * 15_000}).status_code == 200


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_that_the_bearer_scheme_is_case_insensitive(door: TestClient, scheme: str) -> None:
    response = door.get("/v1/conversations", headers={"Authorization": f"{scheme} acme-dev-key"})
    assert response.status_code == 200, response.text
    response = door.get("/v1/conversations", headers={"Authorization": f"{scheme} nope"})
    assert (response.status_code, response.json()) == (401, {"detail": "unknown API key"})


def test_that_the_openapi_document_promises_no_input_in_a_422(door: TestClient) -> None:
    error = door.get("/openapi.json").json()["components"]["schemas"]["ValidationError"]
    assert sorted(error["properties"]) == ["loc", "msg", "type"]
