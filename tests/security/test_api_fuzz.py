"""Hostile input on every OpenAPI operation: never a 5xx, and every 4xx says why in `detail`.

Beside schemathesis (tests/security/test_schemathesis.py, run from its own virtualenv because
langgraph-api pins jsonschema-rs below what schemathesis needs), this drives the app in-process.
Hypothesis drives each operation of `app.openapi()` with bodies that are valid, nearly valid (one
field dropped or of another type) or arbitrary JSON, with hostile strings in the string fields (a
lone surrogate or a NUL anywhere, or huge: over a field's length or over the body cap), odd path
ids, query values and keys, on one SQLite-backed app against the real sandbox servers; `-s` prints
the statuses seen. No 4xx may echo the input back (a small body, never the hostile string).
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.schemas import ID_PATTERN
from config.settings import Settings
from tests.utils.sandbox import Sandbox

EXAMPLES = 50
ACME_KEY = "Bearer acme-dev-key"
HEADERS = {"Authorization": ACME_KEY}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
good_ids = st.from_regex(ID_PATTERN, fullmatch=True)
ids = st.one_of(good_ids, good_ids, good_ids, st.text(max_size=40))  # mostly valid: reach the turn
hostile = st.one_of(
    st.builds(
        lambda before, bad, after: before + bad + after,
        st.text(max_size=10),
        st.sampled_from(["\ud800", "\udfff", "\ud83d", "\x00"]),  # lone surrogates, NUL
        st.text(max_size=10),
    ),
    st.integers(20_001, 120_000).map(lambda n: "x" * n),  # over a field's length, over the body cap
)
"""Strings the door refuses: a lone UTF-16 surrogate or a NUL anywhere, or huge."""
texts = (
    st.text(max_size=300)
    | st.sampled_from(["where is my order 1001?", "cancel sub_501", "\u200b\u202e"])
    | hostile
)
customers = (
    st.fixed_dictionaries(
        {"id": ids | hostile, "email": st.none() | st.emails() | st.text(max_size=20) | hostile}
    )
    | json_values
)
auth = st.sampled_from([ACME_KEY, ACME_KEY, ACME_KEY, "Bearer nope", "acme-dev-key", ""])


def nearly(valid: st.SearchStrategy[dict]) -> st.SearchStrategy[object]:
    """A valid body, the same with one field replaced or dropped, or anything at all."""

    def damage(body: dict, data: st.DataObject) -> dict:
        key = data.draw(st.sampled_from(sorted(body)))
        if data.draw(st.booleans()):
            return {k: v for k, v in body.items() if k != key}
        return {**body, key: data.draw(json_values)}

    return st.one_of(valid, valid, valid, st.builds(damage, valid, st.data()), json_values)


messages = nearly(st.fixed_dictionaries({"message_id": ids, "text": texts, "customer": customers}))
events = nearly(
    st.fixed_dictionaries(
        {
            "event_id": ids,
            "type": st.sampled_from(["human_reply", "closed", "reopened", "ai_closed_without_reply", "x"]),
            "author": st.none() | st.text(max_size=20) | hostile,
            "text": st.none() | texts,
        }
    )
)
days = st.dates().map(str) | st.text(max_size=12)


@pytest.fixture(scope="module")
def fuzz_client(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    with TestClient(create_app(Settings(env="dev", data_dir=data_dir))) as client:
        yield client
    print("\nfuzzed requests by operation and status:")
    for (operation, status), n in sorted(SEEN.items()):
        print(f"  {operation:<48} {status}: {n}")


SEEN: Counter[tuple[str, int]] = Counter()


def check(response: httpx.Response, operation: str) -> None:
    SEEN[(operation, response.status_code)] += 1
    request = f"{response.request.method} {response.request.url}"
    assert response.status_code < 500, f"{request} -> {response.status_code}: {response.text[:2000]}"
    if response.status_code >= 400:
        assert response.json().get("detail"), (
            f"{request} -> {response.status_code} without detail: {response.text[:2000]}"
        )
        assert len(response.content) < 8_000, f"{request} -> a {len(response.content)}-byte 4xx: an echo?"


def as_json(body: object) -> dict[str, object]:
    """`body` as the request's content, escaped to ASCII: a lone surrogate goes out as JSON `\\ud800`,
    as a client sends it (the test client's own encoder cannot encode one to UTF-8)."""
    return {"content": json.dumps(body).encode(), "headers": {"Content-Type": "application/json"}}


FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_that_every_operation_is_fuzzed(fuzz_client: TestClient) -> None:
    paths = fuzz_client.app.openapi()["paths"]  # type: ignore[attr-defined]
    assert sorted((m.upper(), p) for p, ops in paths.items() for m in ops) == [
        ("DELETE", "/v1/customers/{customer_id}"),
        ("GET", "/healthz"),
        ("GET", "/v1/conversations"),
        ("GET", "/v1/conversations/{conversation_id}"),
        ("GET", "/v1/handoffs"),
        ("GET", "/v1/reports/automation"),
        ("POST", "/v1/conversations/{conversation_id}/events"),
        ("POST", "/v1/conversations/{conversation_id}/messages"),
    ]


@FUZZ
@given(conversation=ids, body=messages, key=auth)
def test_that_post_messages_never_fails_with_a_5xx(
    fuzz_client: TestClient, conversation: str, body: object, key: str
) -> None:
    url = f"/v1/conversations/{quote(conversation, safe='')}/messages"
    sent = as_json(body)
    response = fuzz_client.post(
        url, content=sent["content"], headers={**sent["headers"], "Authorization": key}
    )
    check(response, "POST messages")


@FUZZ
@given(conversation=ids, body=events, key=auth)
def test_that_post_events_never_fails_with_a_5xx(
    fuzz_client: TestClient, conversation: str, body: object, key: str
) -> None:
    url = f"/v1/conversations/{quote(conversation, safe='')}/events"
    sent = as_json(body)
    response = fuzz_client.post(
        url, content=sent["content"], headers={**sent["headers"], "Authorization": key}
    )
    check(response, "POST events")


@FUZZ
@given(customer=ids, key=auth)
def test_that_delete_customer_never_fails_with_a_5xx(
    fuzz_client: TestClient, customer: str, key: str
) -> None:
    url = f"/v1/customers/{quote(customer, safe='')}"
    check(fuzz_client.delete(url, headers={"Authorization": key}), "DELETE customer")


@FUZZ
@given(conversation=ids, key=auth)
def test_that_get_conversation_never_fails_with_a_5xx(
    fuzz_client: TestClient, conversation: str, key: str
) -> None:
    url = f"/v1/conversations/{quote(conversation, safe='')}"
    check(fuzz_client.get(url, headers={"Authorization": key}), "GET conversation")


@FUZZ
@given(
    params=st.fixed_dictionaries({}, optional={"from": days, "to": days, "x": st.text(max_size=5)}),
    accept=st.sampled_from(["application/json", "text/csv", "*/*", "text/html", ""]),
    key=auth,
)
def test_that_get_report_never_fails_with_a_5xx(
    fuzz_client: TestClient, params: dict, accept: str, key: str
) -> None:
    headers = {"Authorization": key, "Accept": accept}
    check(fuzz_client.get("/v1/reports/automation", params=params, headers=headers), "GET report")


cursors = (
    st.none()
    | st.text(max_size=40)
    | st.binary(max_size=60).map(lambda raw: base64.urlsafe_b64encode(raw).decode())
    | st.sampled_from(["WyJoYW5kb2ZmcyIsIngiLCJ5Il0", "WyJoYW5kb2ZmcyIsIjIwMjYtMTItMDEiLDFd"])
)
"""Anything, base64 of anything, and cursors that decode to a list of the wrong types."""
list_params = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["waiting", "ai", "awaiting_human", "human", "closed", "", "x"]),
        "limit": st.integers(-5, 300).map(str) | st.text(max_size=4),
        "cursor": cursors,
    },
)


@FUZZ
@given(path=st.sampled_from(["/v1/handoffs", "/v1/conversations"]), params=list_params, key=auth)
def test_that_the_lists_never_fail_with_a_5xx(
    fuzz_client: TestClient, path: str, params: dict, key: str
) -> None:
    query = {k: v for k, v in params.items() if v is not None}
    check(fuzz_client.get(path, params=query, headers={"Authorization": key}), f"GET {path}")


@FUZZ
@given(
    message_id=good_ids,
    text=st.text(min_size=1, max_size=500),
    customer_id=st.text(min_size=1, max_size=128),
)
def test_that_any_text_from_any_customer_id_gets_an_answered_turn(
    fuzz_client: TestClient, message_id: str, text: str, customer_id: str
) -> None:
    body = {"message_id": message_id, "text": text, "customer": {"id": customer_id, "email": None}}
    response = fuzz_client.post(
        "/v1/conversations/fuzz-turns/messages", json=body, headers={"Authorization": ACME_KEY}
    )
    check(response, "POST messages (valid)")
    if "\x00" in text + customer_id:  # PostgreSQL cannot store NUL: refused at the door with a reason
        assert response.status_code == 422, response.text
    else:
        assert response.status_code in (200, 409), response.text  # 409: hypothesis reused a message_id


string_fields = st.sampled_from(
    [
        ("messages", ("text",)),
        ("messages", ("customer", "id")),
        ("messages", ("customer", "email")),
        ("events", ("text",)),
        ("events", ("author",)),
    ]
)
"""Every free-text string field of the contract (the ids have a pattern, fuzzed above)."""


@FUZZ
@given(field=string_fields, bad=hostile)
def test_that_a_hostile_string_in_any_string_field_is_refused_with_a_reason_and_no_echo(
    fuzz_client: TestClient, field: tuple[str, tuple[str, ...]], bad: str
) -> None:
    route, path = field
    body: dict = (
        {"message_id": "m-hostile", "text": "hi", "customer": {"id": "cus_1", "email": None}}
        if route == "messages"
        else {"event_id": "e-hostile", "type": "human_reply", "author": "agent", "text": "hi"}
    )
    (body["customer"] if len(path) == 2 else body)[path[-1]] = bad
    sent = as_json(body)
    response = fuzz_client.post(
        f"/v1/conversations/fuzz-hostile/{route}",
        content=sent["content"],
        headers={**sent["headers"], **HEADERS},
    )
    check(response, f"POST {route} (hostile {'.'.join(path)})")
    assert response.status_code == (413 if len(sent["content"]) > 64_000 else 422), response.text[:500]
    assert bad.encode("utf-8", "surrogatepass") not in response.content
    assert json.dumps(bad)[1:-1].encode() not in response.content
