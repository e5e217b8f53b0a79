"""Tool failure is a normal path (its coded error result saved whole), and a thread with a dangling
tool call heals on its next turn."""

from __future__ import annotations

from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from nodes.compose import ACKNOWLEDGE
from state.handoffs import CLOSING, why
from state.schema import new_run
from state.tool_calls import dangling_calls
from tests.utils.conversations import ACME, event, new_conversation, say
from tests.utils.sandbox import Sandbox
from tools.errors import error_code


def test_that_a_store_outage_hands_off_only_that_intent_and_saves_no_dangling_call(
    client: TestClient, sandbox: Sandbox
) -> None:
    sandbox.admin("commerce", "POST", "mode", {"mode": "down"})
    conversation = new_conversation()
    out = say(client, conversation, "where is my order 1001?")
    assert out["workflows"] == [{"name": "order_status", "status": "handed_off"}]
    assert out["handoff"] == {"reason": "tool_failed", "unresolved": ["order_status"]}
    state = _state(client, conversation)  # read back from the checkpointer: SQLite, then PostgreSQL
    assert dangling_calls(state["runs"]["order_status"]["transcript"]) == []
    [failed] = [m for m in state["runs"]["order_status"]["transcript"] if isinstance(m, ToolMessage)]
    assert (failed.text, failed.artifact, error_code(failed)) == (
        "Error: shopify answered 503",
        {"error": {"tool": "get_order", "code": "upstream_error", "text": "shopify answered 503"}},
        "upstream_error",
    )
    sandbox.admin("commerce", "POST", "mode", {"mode": "normal"})
    again = say(client, conversation, "where is my order 1001?")  # a person has that ask now
    assert (again["workflows"], again["reply"], again["status"]) == ([], ACKNOWLEDGE, "awaiting_human")
    event(client, conversation, "handed_back")  # the person gives it back: the AI answers it again
    back = say(client, conversation, "where is my order 1001?")
    assert back["workflows"] == [{"name": "order_status", "status": "resolved"}]


def _state(client: TestClient, conversation: str) -> dict:
    graph = client.app.state.service.graph  # type: ignore[attr-defined]
    config = {"configurable": {"thread_id": f"acme:{conversation}"}}
    return client.portal.call(graph.aget_state, config).values  # type: ignore[union-attr]


def test_that_a_checkpoint_holding_a_dangling_tool_call_heals_on_the_next_turn(
    client: TestClient, sandbox: Sandbox
) -> None:
    conversation = new_conversation()
    say(client, conversation, "where is my package?")  # order_status now waits for the number
    graph = client.app.state.service.graph  # type: ignore[attr-defined]
    config = {"configurable": {"thread_id": f"acme:{conversation}"}}
    dangling = AIMessage(
        "", tool_calls=[{"id": "call_crashed", "name": "get_order", "args": {"order_number": "1001"}}]
    )
    run = {
        **new_run("order_status"),
        "turn": 1,
        "version": 5,
        "transcript": [HumanMessage("where is my package?"), dangling],
    }
    # Written directly, as a crash mid-tool or an older version would have left it.
    client.portal.call(
        lambda: graph.aupdate_state(
            config, {"runs": {"order_status": run}, "messages": [dangling]}, as_node="billing"
        )
    )
    poisoned = _state(client, conversation)
    assert dangling_calls(poisoned["runs"]["order_status"]["transcript"]) == ["call_crashed"]
    assert dangling_calls(poisoned["messages"]) == ["call_crashed"]

    sandbox.admin("model", "DELETE", "requests")
    out = say(client, conversation, "where is my order 1001?")
    assert out["workflows"] == [{"name": "order_status", "status": "resolved"}]
    assert out["reply"].startswith("Order #1001: payment paid")
    roles = [m["role"] for m in sandbox.model_requests()[0]["body"]["messages"]]
    assert roles[:4] == ["system", "user", "assistant", "tool"]  # the healed pair reached the model whole
    healed = _state(client, conversation)
    assert dangling_calls(healed["messages"]) == []
    assert dangling_calls(healed["runs"]["order_status"]["transcript"]) == []
    assert healed["repairs"] == 2


MODEL_DOWN_REPLY = f"{why('model_unavailable')} {CLOSING}"


def test_that_a_model_outage_hands_off_the_intent_keeps_the_message_and_the_next_turn_works(
    client: TestClient, sandbox: Sandbox
) -> None:
    sandbox.admin("model", "POST", "mode", {"mode": "down"})
    conversation = new_conversation()
    out = say(client, conversation, "where is my order 1001?")
    assert out["workflows"] == [{"name": "order_status", "status": "handed_off"}]
    assert out["handoff"] == {"reason": "model_unavailable", "unresolved": ["order_status"]}
    assert (
        out["reply"]
        == MODEL_DOWN_REPLY
        == "I cannot look into this right now: our assistant is unavailable. " + CLOSING
    )
    sandbox.admin("model", "POST", "mode", {"mode": "normal"})
    event(client, conversation, "handed_back")  # the colleague gives the ask back to the AI
    again = say(client, conversation, "where is my order 1001?")
    assert again["workflows"] == [{"name": "order_status", "status": "resolved"}]
    texts = [
        m["text"] for m in client.get(f"/v1/conversations/{conversation}", headers=ACME).json()["messages"]
    ]
    assert texts[:2] == ["where is my order 1001?", MODEL_DOWN_REPLY]
    assert len(texts) == 4
