"""The sandbox model: a deterministic stand-in for an OpenAI-compatible chat model.

It knows nothing of the service it serves. Every reply is decided from the request alone (the
messages, the tools offered with their JSON schemas, the response format asked for) by the
general heuristics documented in sandbox/README.md ("## Model server").

Modules: `text` (words, overlap, regex search), `schema` (filling JSON-schema values from text),
`validation` (the 400s the real API answers), `instructions` (what `gullible` obeys), `decide`
(the reply policy, pure), `wire` (OpenAI JSON and SSE shapes), `state` (modes and recorded requests).
The HTTP app lives in `sandbox/model_server.py`.
"""
