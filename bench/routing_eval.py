"""The router on the held-back eval split (`python -m bench.routing_eval`).

Reads the labelled data in place (see `routing.corpus`): the Bitext sample (CDLA-Sharing-1.0,
(c) Bitext) and our own examples, keeping only the eval split (20 %, by a hash of the text), which
`routing.train` never reads. Figures are at the level of the router's output labels
(order_status, cancel_subscription, returns_refunds, address_change, handoff, other):
- single: one-ask examples; right when the router returns exactly that one label;
- no-ask: our examples that ask nothing ("thanks", "it is #1001"); right when it returns none;
- (a) connectors: two asks of different labels joined as people write ("..., and also ...",
  "... Also, ...", a new line, "btw", "oh and", a second sentence); right on the exact label set;
- (b) bare: both lower-cased, punctuation removed, joined by " and ", ", " or a space;
- dropped: asks the router returned no intent for (asked minus distinct labels found, when
  positive); a wrong label is an error, not a drop;
- model fallback: how many messages the router would send to the model (a doubtful segment),
  and how many of the errors are among them. The figures are the classifier's alone: the bench
  makes no model call;
- latency of `read_message` (segmentation and entities) per message, after the artefact is loaded.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from nodes.route import needs_model
from routing.classifier import MODEL_PATH, load_model
from routing.corpus import (
    BARE_JOINS,
    CONNECTOR_JOINS,
    NONE,
    Composed,
    compose_pairs,
    in_split,
    load_examples,
)
from routing.reading import read_message
from workflows.registry import REGISTRY

PAIRS = 2000
SEED = 5
TARGETS = {"single": 0.995, "connectors": 0.99, "bare": 0.90}
TARGET_DROPPED = 0
TARGET_MEDIAN_MS = 5.0


@dataclass
class Tally:
    name: str
    total: int = 0
    right: int = 0
    dropped: int = 0
    dropped_unflagged: int = 0
    """Drops in messages the router would not send to the model: nothing downstream can catch them."""
    flagged: int = 0
    flagged_wrong: int = 0
    errors: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def score(name: str, items: Sequence[Composed], latencies: list[float]) -> Tally:
    tally = Tally(name)
    for item in items:
        t0 = time.perf_counter()
        reading = read_message(item.text, REGISTRY.router)
        latencies.append(time.perf_counter() - t0)
        found = tuple(i["name"] for i in reading.intents)
        ok = set(found) == set(item.labels) and len(found) == len(item.labels)
        flagged = needs_model(reading, ())
        tally.total += 1
        tally.right += ok
        drop = max(0, len(set(item.labels)) - len(set(found)))
        tally.dropped += drop
        tally.dropped_unflagged += 0 if flagged else drop
        tally.flagged += flagged
        tally.flagged_wrong += flagged and not ok
        if not ok:
            tally.errors[(item.labels, found)] += 1
            if len(tally.examples) < 3:
                tally.examples.append(f"{item.text!r}: asked {list(item.labels)}, found {list(found)}")
    return tally


def run(pairs: int = PAIRS) -> tuple[list[Tally], dict[str, float]]:
    t0 = time.perf_counter()
    load_model()
    REGISTRY.router  # noqa: B018  # relabelled once, as the service does
    load_ms = (time.perf_counter() - t0) * 1000
    examples = in_split(load_examples(REGISTRY.label_of, REGISTRY.example_files()), "eval")
    asks = [e for e in examples if e.label != NONE]
    sets = {
        "single": [Composed(e.text, (e.label,)) for e in asks],
        "no-ask": [Composed(e.text, ()) for e in examples if e.label == NONE],
        "connectors": compose_pairs(examples, pairs, CONNECTOR_JOINS, is_bare=False, seed=SEED),
        "bare": compose_pairs(examples, pairs, BARE_JOINS, is_bare=True, seed=SEED + 1),
    }
    latencies: list[float] = []
    tallies = [score(name, items, latencies) for name, items in sets.items()]
    ordered = sorted(latencies)
    timing = {
        "load_ms": load_ms,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "max_ms": ordered[-1] * 1000,
        "messages": len(latencies),
    }
    return tallies, timing


def report(tallies: Sequence[Tally], timing: dict[str, float]) -> list[str]:
    lines = [
        f"router artefact: {MODEL_PATH.name}, {MODEL_PATH.stat().st_size / 1000:.0f} kB, "
        f"loaded in {timing['load_ms']:.0f} ms",
        f"{'set':<12}{'messages':>9}{'accuracy':>10}{'target':>8}{'dropped':>9}{'to model':>10}"
        f"{'errors flagged':>16}",
    ]
    for t in tallies:
        target = TARGETS.get(t.name)
        errors = t.total - t.right
        lines.append(
            f"{t.name:<12}{t.total:>9}{t.accuracy:>9.2%}{f'{target:.1%}' if target else '-':>9}{t.dropped:>9}"
            f"{t.flagged / t.total:>9.1%}{f'{t.flagged_wrong}/{errors}':>16}"
        )
    dropped = sum(t.dropped for t in tallies)
    lines.append(
        f"dropped intents: {dropped} (target {TARGET_DROPPED}), "
        f"{sum(t.dropped_unflagged for t in tallies)} of them in messages not sent to the model; "
        f"median latency {timing['median_ms']:.2f} ms per message (target <= {TARGET_MEDIAN_MS:.0f} ms), "
        f"p95 {timing['p95_ms']:.2f} ms, max {timing['max_ms']:.2f} ms over {timing['messages']} messages"
    )
    for t in tallies:
        if t.errors:
            common = ", ".join(f"{list(a)}->{list(f)} x{n}" for (a, f), n in t.errors.most_common(4))
            lines.append(f"{t.name} errors, most common: {common}")
            lines.extend(f"  e.g. {e}" for e in t.examples)
    verdict = [
        *(
            f"{t.name} {'met' if t.accuracy >= TARGETS[t.name] else 'MISSED'}"
            for t in tallies
            if t.name in TARGETS
        ),
        f"dropped {'met' if dropped <= TARGET_DROPPED else 'MISSED'}",
        f"latency {'met' if timing['median_ms'] <= TARGET_MEDIAN_MS else 'MISSED'}",
    ]
    lines.append("targets: " + ", ".join(verdict))
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=PAIRS, help="two-ask messages per join style")
    args = parser.parse_args(argv)
    tallies, timing = run(args.pairs)
    print("\n".join(report(tallies, timing)))


if __name__ == "__main__":
    main()
