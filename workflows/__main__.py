"""`python -m workflows check`: the registry's drift check (exit 1 on a problem);
`python -m workflows train-router`: train the router on the registry's labels and examples;
`python -m workflows schema`: each workflow's router classes, tools, writes and the JSON schema of
its per-brand parameters."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from workflows.registry import REGISTRY


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workflows", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="every disagreement between the registry and what derives from it")
    sub.add_parser(
        "train-router",
        help="train routing/router_model.json (offline, minutes); --out PATH, --train-only go to routing.train",
    )
    sub.add_parser("schema", help="what each workflow declares, as JSON")
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "train-router":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "check":
        problems = REGISTRY.problems()
        for problem in problems:
            print(problem)
        print(f"{len(REGISTRY.names)} workflows, {len(problems)} problems")
        return 1 if problems else 0
    if args.command == "train-router":
        from routing import train  # pylint: disable=import-outside-toplevel  # offline only

        train.main(rest, REGISTRY.label_of, REGISTRY.example_files())
        return 0
    described = {
        w.name: {
            "router_classes": list(w.router.classes),
            "tools": [t.name for t in w.tools],
            "writes": list(w.writes),
            "params": {w.params.section: w.params.json_schema()} if w.params else None,
        }
        for w in REGISTRY
    }
    print(json.dumps(described, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
