"""Workflows: one package per workflow, and the registry that is the one list of them.

A workflow package declares everything about itself in one `Workflow` (`workflows/spec.py`): its
instructions, the tools it may call, its policy hooks and pure rules, the brand-file section of
its per-brand parameters and its router examples. `workflows.registry.REGISTRY` lists them; the
router's labels and prompt, brand validation and the main graph derive from it (docs/workflows.md).
The shared machinery (the subgraph, confirm-then-write, answer reading) is `workflows/kit/`.
"""
