"""The sandbox model's reply policy: one validated request in, one `Reply` out.

Pure: no I/O, clock or randomness; the same request and mode always give the same reply. The rules,
in order (each documented in sandbox/README.md):

0. `gullible` mode, tools offered, last message user or tool: obey the newest instruction not yet
   carried out (see `instructions`).
1. `response_format` json_schema: a JSON object filled from the latest user text.
2. `tool_choice` naming a function, or "required": call that (or the best-matching) tool.
3. last message user, tools offered: call the best tool whose required parameters the text fills;
   else ask for the missing parameter of the best-matching tool; else a generic answer.
4. last message tool: `eager` mode may chain a tool filled from the result; else answer with it.
5. otherwise: a generic answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.model.instructions import first_new_instruction
from sandbox.model.reply import PlannedCall, Reply, calls_made
from sandbox.model.schema import fill_arguments, fill_schema, resolve
from sandbox.model.state import Mode
from sandbox.model.text import best_match, overlap, text_of, words

GENERIC_REPLY = "How can I help you today?"
ASK_TEMPLATE = "Could you tell me the {what}?"


@dataclass(frozen=True)
class Tool:
    """An offered function tool."""

    name: str
    description: str
    parameters: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.name} {self.description}"


def offered_tools(body: Mapping[str, Any]) -> list[Tool]:
    """Return the function tools a request offers, in order; none when `tool_choice` is "none"."""
    if body.get("tool_choice") == "none":
        return []
    tools: list[Tool] = []
    for entry in body.get("tools") or []:
        function = entry.get("function") if isinstance(entry, Mapping) else None
        if isinstance(function, Mapping) and function.get("name"):
            params = function.get("parameters")
            params = params if isinstance(params, Mapping) else {}
            tools.append(Tool(str(function["name"]), str(function.get("description") or ""), params))
    return tools


def latest_text(messages: Sequence[Mapping[str, Any]], role: str) -> str:
    """Return the text of the last message with `role`, or ""."""
    return next((text_of(m) for m in reversed(messages) if m.get("role") == role), "")


def tool_result_text(messages: Sequence[Mapping[str, Any]]) -> str:
    """Return the trailing run of tool results, joined by newlines."""
    tail: list[str] = []
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        tail.append(text_of(message))
    return "\n".join(reversed(tail))


def best_call(tools: Sequence[Tool], text: str, done: set[str], needs_argument: bool) -> PlannedCall | None:
    """Return a call to the qualifying tool sharing most words with `text`; the first wins ties.

    A tool qualifies when `text` fills all its required parameters, it filled at least one
    parameter or shares a word with `text` (only a filled parameter counts if `needs_argument`),
    and the same call is not in `done`.
    """
    text_words = words(text)
    best: tuple[int, PlannedCall] | None = None
    for tool in tools:
        arguments, missing = fill_arguments(tool.parameters, text)
        score = overlap(tool.label, text_words)
        has_evidence = bool(arguments) or (score > 0 and not needs_argument)
        call = PlannedCall(tool.name, arguments)
        if missing or not has_evidence or call.key() in done:
            continue
        if best is None or score > best[0]:
            best = (score, call)
    return best[1] if best else None


def question_for(tool: Tool, text: str) -> str:
    """Ask for the first required parameter of `tool` that `text` did not fill."""
    _, missing = fill_arguments(tool.parameters, text)
    name = missing[0]
    prop = (tool.parameters.get("properties") or {}).get(name) or {}
    resolved, _ = resolve(prop, tool.parameters)
    what = str(prop.get("description") or resolved.get("description") or name.replace("_", " "))
    what = what.strip().rstrip(".")
    what = what[4:] if what.lower().startswith("the ") else what
    if len(what) > 1 and what[1:2].islower():
        what = what[0].lower() + what[1:]
    return ASK_TEMPLATE.format(what=what)


def answer_user(tools: Sequence[Tool], text: str) -> Reply:
    """Call the best qualifying tool, or ask for a missing parameter, or answer generically."""
    call = best_call(tools, text, done=set(), needs_argument=False)
    if call is not None:
        return Reply(calls=(call,))
    index, score = best_match([t.label for t in tools], text)
    if score > 0:
        return Reply(content=question_for(tools[index], text))
    return Reply(content=GENERIC_REPLY)


def structured_content(response_format: object, text: str) -> str | None:
    """Return the JSON text for a `json_schema` or `json_object` response format, else None."""
    if not isinstance(response_format, Mapping):
        return None
    if response_format.get("type") == "json_object":
        return "{}"
    if response_format.get("type") != "json_schema":
        return None
    schema = (response_format.get("json_schema") or {}).get("schema") or {}
    return json.dumps(fill_schema(schema, schema, text))


def forced_call(tools: Sequence[Tool], tool_choice: object, text: str) -> Reply | None:
    """Return the call `tool_choice` forces (a named function or "required"), arguments schema-filled."""
    if isinstance(tool_choice, Mapping):
        name = (tool_choice.get("function") or {}).get("name")
        chosen = next((t for t in tools if t.name == name), None)
    elif tool_choice == "required" and tools:
        chosen = tools[best_match([t.label for t in tools], text)[0]]
    else:
        chosen = None
    if chosen is None:
        return None
    arguments = fill_schema(chosen.parameters, chosen.parameters, text)
    return Reply(calls=(PlannedCall(chosen.name, arguments if isinstance(arguments, dict) else {}),))


def decide(body: Mapping[str, Any], mode: Mode) -> Reply:
    """Return the reply to a validated chat-completions request in `mode`."""
    messages: Sequence[Mapping[str, Any]] = body["messages"]
    tools = offered_tools(body)
    last_role = messages[-1].get("role")
    user_text = latest_text(messages, "user")
    if mode == "gullible" and tools and last_role in ("user", "tool"):
        planted = first_new_instruction(messages, [t.name for t in tools], calls_made(messages))
        if planted is not None:
            return Reply(calls=(planted,))
    content = structured_content(body.get("response_format"), user_text)
    if content is not None:
        return Reply(content=content)
    forced = forced_call(tools, body.get("tool_choice"), user_text)
    if forced is not None:
        return forced
    if last_role == "user" and tools:
        return answer_user(tools, user_text)
    if last_role == "tool":
        return answer_tool_result(messages, tools, mode)
    return Reply(content=GENERIC_REPLY)


_MARKUP_LINE = re.compile(r"^\s*</?[A-Za-z_][\w-]*(?:\s[^<>]*)?>\s*$", re.MULTILINE)


def strip_markup(text: str) -> str:
    """Quote a result as a person would read it: lines that are only a markup tag are dropped."""
    return "\n".join(line for line in _MARKUP_LINE.sub("", text).splitlines() if line.strip())


def answer_tool_result(messages: Sequence[Mapping[str, Any]], tools: Sequence[Tool], mode: Mode) -> Reply:
    """Chain a call filled from the result (`eager` only), else answer with the result text."""
    result = tool_result_text(messages)
    if mode == "eager":
        chained = best_call(tools, result, calls_made(messages), needs_argument=True)
        if chained is not None:
            return Reply(calls=(chained,))
    spoken = strip_markup(result)
    return Reply(content=spoken if spoken.strip() else GENERIC_REPLY)
