"""The router on held-back and natural messages (`make routing-eval`, `python -m bench.routing_eval`).

Sets, each scored twice: the `route` node with the model down (the classifier's reading and the
code's rules alone) and with the offline stand-in model as the fallback:
- Bitext single, connectors, bare joins: the held-back eval split of `routing.corpus` (20 % by a
  hash of the text; `routing.train` never reads it), single asks and two-ask messages composed
  from it ("..., and also ...", a new line, "btw"...; or lower-cased, unpunctuated, joined by
  " and ", ", " or a space). The Bitext sample is CDLA-Sharing-1.0, (c) Bitext, read in place;
- natural dev, natural dev b: `evals/routing/dev.jsonl` and `dev_b.jsonl`, customers' own words by two
  writers, hand-labelled (tuned on; dev b was the eval set v1, retired into tuning after two runs);
  natural dev c: `evals/routing/dev_c.jsonl`, every second message of the written batches T10-T12
  (phone chat, contact-form letters, a mix), never trained on;
- natural eval: `evals/routing/eval2.jsonl` (only with `--eval`), natural eval v3:
  `evals/routing/eval3.jsonl` (only with `--eval3`) and natural eval v4: `evals/routing/eval4.jsonl`
  (only with `--eval4`), each written and labelled by people who never saw
  the router; never trained or tuned on (docs/routing.md: log every run). Missing, the flag says so
  and exits with status 2.

A natural message's labels are fine asks (LABELS in docs/routing.md); the registry maps each to
its router label (`Registry.label_of`: a workflow's name, `other` for an ask no workflow takes,
`handoff` for a person); a message in a language its brand does not serve expects only the
`language` handoff. Figures, per set and mode:
- exact: the router labels found are exactly the asked ones;
- dropped: asked labels not found; invented: labels found that nobody asked (a workflow run, or a
  handoff, for nothing); both are counted in asks, and as a share of messages with one;
- person missed: a request for a person (Bitext: `handoff` asked) with no handoff;
- to model: share of messages that made a model call for routing;
- latency: the `route` node per message with no model call (median, p95), after loading.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.environment import sandbox
from brands.context import BrandContext
from nodes.route import route
from routing.corpus import (
    BARE_JOINS,
    CONNECTOR_JOINS,
    NONE,
    REPO_ROOT,
    compose_pairs,
    in_split,
    load_examples,
)
from routing.reading import read_message
from state.schema import TurnState
from tools.http import aclose_clients
from tools.sanitiser import clean
from workflows.registry import REGISTRY

PAIRS = 2000
SEED = 5
EVALS = REPO_ROOT / "evals" / "routing"
HELD_OUT = EVALS / "eval2.jsonl"
"""The held-out natural eval set v2 (`--eval`)."""
HELD_OUT_3 = EVALS / "eval3.jsonl"
"""The held-out natural eval set v3 (`--eval3`)."""
HELD_OUT_4 = EVALS / "eval4.jsonl"
"""The held-out natural eval set v4 (`--eval4`)."""
LANGUAGE = "language"
"""The pseudo-label of a message handed off because its brand does not serve its language."""
PERSON_LABEL = "handoff"


@dataclass(frozen=True)
class Case:
    text: str
    labels: frozenset[str]
    person: bool
    brand: str = "acme"
    ident: str = ""


@dataclass
class Tally:
    name: str
    mode: str
    total: int = 0
    exact: int = 0
    dropped: int = 0
    dropped_msgs: int = 0
    invented: int = 0
    invented_msgs: int = 0
    persons: int = 0
    person_missed: int = 0
    to_model: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    def row(self) -> str:
        lat = sorted(self.latencies)
        med = statistics.median(lat) * 1000 if lat else 0.0
        p95 = lat[int(0.95 * (len(lat) - 1))] * 1000 if lat else 0.0
        persons = f"{self.person_missed}/{self.persons}"
        return (
            f"{self.name:<16}{self.mode:<11}{self.total:>6}{self.exact / self.total:>9.2%}"
            f"{self.dropped:>8} ({self.dropped_msgs / self.total:>5.1%}){self.invented:>8} "
            f"({self.invented_msgs / self.total:>5.1%}){persons:>12}{self.to_model / self.total:>9.1%}"
            f"{med:>8.2f}{p95:>8.2f}"
        )


HEADER = (
    f"{'set':<16}{'mode':<11}{'msgs':>6}{'exact':>9}{'dropped (msgs)':>17}{'invented (msgs)':>17}"
    f"{'person miss':>13}{'to model':>9}{'med ms':>8}{'p95 ms':>8}"
)


def expected(asks: Sequence[str], lang: str, brand: BrandContext) -> frozenset[str]:
    """The router labels a natural message asks for, through the registry."""
    served = getattr(brand.brand, "languages", ["en"])
    if lang not in served:
        return frozenset({LANGUAGE})
    return frozenset(REGISTRY.label_of(a) for a in asks)


def natural(path: Path) -> list[Case]:
    cases: list[Case] = []
    brands: dict[str, BrandContext] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        ctx = brands.setdefault(row["brand"], BrandContext(brand_id=row["brand"]))
        labels = expected(row["asks"], row.get("lang", "en"), ctx)
        cases.append(Case(row["text"], labels, bool(row.get("person")), row["brand"], row.get("id", "")))
    return cases


def bitext_sets(pairs: int) -> dict[str, list[Case]]:
    examples = in_split(load_examples(REGISTRY.label_of, REGISTRY.example_files()), "eval")
    asks = [e for e in examples if e.label != NONE]

    def case(text: str, labels: Sequence[str]) -> Case:
        return Case(text, frozenset(labels), PERSON_LABEL in labels)

    return {
        "bitext single": [case(e.text, (e.label,)) for e in asks],
        "connectors": [
            case(c.text, c.labels)
            for c in compose_pairs(examples, pairs, CONNECTOR_JOINS, is_bare=False, seed=SEED)
        ],
        "bare joins": [
            case(c.text, c.labels)
            for c in compose_pairs(examples, pairs, BARE_JOINS, is_bare=True, seed=SEED + 1)
        ],
    }


def found_labels(intents: Sequence[dict]) -> frozenset[str]:
    return frozenset(LANGUAGE if i.get("handoff_reason") == LANGUAGE else i["name"] for i in intents)


async def score(name: str, mode: str, cases: Sequence[Case], model_url: str) -> Tally:
    tally = Tally(name, mode)
    contexts: dict[str, BrandContext] = {}
    async with httpx.AsyncClient() as admin:

        async def calls() -> int:
            return int((await admin.get(f"{model_url}/_admin/state")).json()["requests"])

        for case in cases:
            ctx = contexts.setdefault(case.brand, BrandContext(brand_id=case.brand))
            state = TurnState(turn=1, clean_text=clean(case.text).text, runs={})
            before = await calls()
            t0 = time.perf_counter()
            out = await route(state, REGISTRY, ctx)
            took = time.perf_counter() - t0
            asked_model = await calls() > before
            found = found_labels(out["intents"])
            tally.total += 1
            tally.to_model += asked_model
            if not asked_model:
                tally.latencies.append(took)
            dropped, invented = case.labels - found, found - case.labels
            tally.exact += not dropped and not invented
            tally.dropped += len(dropped)
            tally.dropped_msgs += bool(dropped)
            tally.invented += len(invented)
            tally.invented_msgs += bool(invented)
            if case.person:
                tally.persons += 1
                tally.person_missed += not ({PERSON_LABEL, LANGUAGE} & found)
            if dropped or invented:
                tally.errors[(tuple(sorted(case.labels)), tuple(sorted(found)))] += 1
                tally.wrong.append(
                    f"{case.ident or '-'} {case.text!r}: asked {sorted(case.labels)}, found {sorted(found)}"
                )
    return tally


async def run_all(sets: dict[str, list[Case]]) -> list[Tally]:
    tallies: list[Tally] = []
    with sandbox() as box:
        model_url = box.model
        try:
            for mode, model_mode in (("classifier", "down"), ("fallback", "normal")):
                httpx.post(f"{model_url}/_admin/mode", json={"mode": model_mode}).raise_for_status()
                for name, cases in sets.items():
                    tallies.append(await score(name, mode, cases, model_url))
        finally:
            await aclose_clients()
    return tallies


def report(tallies: Sequence[Tally], load_ms: float, show: int) -> list[str]:
    lines = [
        f"router loaded in {load_ms:.0f} ms; 'classifier': the model down; 'fallback': the stand-in model",
        HEADER,
    ]
    lines.extend(t.row() for t in tallies)
    for t in tallies:
        if t.errors and show:
            common = ", ".join(f"{list(a)}->{list(f)} x{n}" for (a, f), n in t.errors.most_common(4))
            lines.append(f"{t.name} / {t.mode}: most common errors {common}")
            lines.extend(f"  {w}" for w in t.wrong[:show])
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=PAIRS, help="two-ask Bitext messages per join style")
    parser.add_argument("--no-bitext", action="store_true", help="only the natural sets")
    parser.add_argument("--dev", type=Path, default=EVALS / "dev.jsonl")
    parser.add_argument("--dev-b", type=Path, default=EVALS / "dev_b.jsonl")
    parser.add_argument("--dev-c", type=Path, default=EVALS / "dev_c.jsonl")
    parser.add_argument(
        "--eval", action="store_true", help="also the held-out natural eval v2 (log every run)"
    )
    parser.add_argument(
        "--eval3", action="store_true", help="also the held-out natural eval v3 (log every run)"
    )
    parser.add_argument(
        "--eval4", action="store_true", help="also the held-out natural eval v4 (log every run)"
    )
    parser.add_argument("--errors", type=int, default=8, help="wrong messages listed per set and mode")
    args = parser.parse_args(argv)
    held_out = {"natural eval": HELD_OUT} if args.eval else {}
    held_out |= {"natural eval v3": HELD_OUT_3} if args.eval3 else {}
    held_out |= {"natural eval v4": HELD_OUT_4} if args.eval4 else {}
    for path in held_out.values():
        if not path.exists():
            print(f"no held-out eval set: {path.relative_to(REPO_ROOT)} is missing", file=sys.stderr)
            sys.exit(2)
    logging.getLogger("nodes.route").setLevel(logging.ERROR)  # the model is down on purpose
    t0 = time.perf_counter()
    REGISTRY.router  # noqa: B018  # loaded and relabelled once, as the service does
    read_message("warm up", REGISTRY.router)
    load_ms = (time.perf_counter() - t0) * 1000
    sets: dict[str, list[Case]] = {} if args.no_bitext else bitext_sets(args.pairs)
    for name, path in (
        ("natural dev", args.dev),
        ("natural dev b", args.dev_b),
        ("natural dev c", args.dev_c),
    ):
        if path.exists():
            sets[name] = natural(path)
    sets |= {name: natural(path) for name, path in held_out.items()}
    tallies = asyncio.run(run_all(sets))
    print("\n".join(report(tallies, load_ms, args.errors)))


if __name__ == "__main__":
    main()
