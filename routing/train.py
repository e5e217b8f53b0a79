"""Train the router offline and write `routing/router_model.json`: `python -m workflows train-router`
(the workflow registry gives the labels and the example files).

Two models, both logistic regression by plain SGD, in pure Python:
- the label model over the source intents (`fine_classes`), summed per router label at run time;
- the cut model, on two-ask messages composed from training examples (connector and bare joins),
  every other possible cut of those messages and of single asks being a negative; it also reads
  the label model's view of the words either side of a cut.
Both are trained on the train split; the segmentation's weights (alpha, penalty, beta) are chosen
on the dev split; then both are trained again on train + dev. The eval split is never read here.
The fallback threshold and margin are fixed constants; the `none` floor is chosen on dev (docs/routing.md).

The artefact is a "Result" under CDLA-Sharing-1.0 (weights learned from the Bitext sample data,
attributed in the file), not the data itself.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from routing.classifier import MODEL_PATH, RouterModel, SpanTable
from routing.corpus import (
    BARE_JOINS,
    CONNECTOR_JOINS,
    NONE,
    Example,
    Labelling,
    compose_pairs,
    in_split,
    join_bare,
    join_connected,
    load_examples,
)
from routing.features import (
    CONNECTORS,
    MAX_CONNECTORS,
    cut_features,
    gap_breaks,
    span_features,
    tokenize,
)

SCALE = 1000
SEED = 20261125
DEV_PAIRS = 1500
GRID = [(a, p, b) for a in (0.5, 0.75, 1.0) for p in (1.0, 2.0, 3.0) for b in (0.2, 0.3, 0.4, 0.5)]
"""(alpha, penalty, beta) tried on dev."""
PARAMS = ("alpha", "penalty", "beta", "threshold", "min_margin", "none_floor")
THRESHOLD = 0.8
"""A segment whose label probability is below this asks the model."""
MIN_MARGIN = 1.0
"""A segment that scores less than this above its best two-ask split asks the model."""
NONE_FLOOR = 0.5
"""A segment is read as asking nothing only when `none` has at least this probability..."""
NONE_FLOORS = (NONE_FLOOR, 0.6, 0.7)
"""...or the higher floor that reads dev best ("could be way better" is a review, not an answer)."""


@dataclass(frozen=True)
class CutExample:
    features: list[str]
    positive: bool


def fine_classes(examples: Sequence[Example]) -> list[str]:
    """The source intents, sorted: the label model scores these and sums them per router label."""
    return sorted({e.source for e in examples})


def train_label_model(
    examples: Sequence[Example], epochs: int = 20, lr: float = 0.2, l2: float = 1e-4, min_count: int = 2
) -> tuple[list[float], dict[str, list[float]]]:
    """Multinomial logistic regression over `span_features` and the fine classes (see `fine_classes`)."""
    classes = fine_classes(examples)
    k = len(classes)
    data = [(span_features([t.norm for t in tokenize(e.text)]), classes.index(e.source)) for e in examples]
    counts = Counter(f for feats, _ in data for f in set(feats))
    vocab = {f for f, n in counts.items() if n >= min_count}
    weights: dict[str, list[float]] = {f: [0.0] * k for f in vocab}
    bias = [0.0] * k
    rnd = random.Random(SEED)
    order = list(range(len(data)))
    for epoch in range(epochs):
        rnd.shuffle(order)
        rate = lr / (1 + 0.5 * epoch)
        shrink = 1 - rate * l2
        for i in order:
            feats, y = data[i]
            kept = [f for f in feats if f in vocab]
            scores = list(bias)
            for f in kept:
                scores = [a + b for a, b in zip(scores, weights[f], strict=True)]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            grad = [rate * (e / total - (1.0 if c == y else 0.0)) for c, e in enumerate(exps)]
            bias = [b - g for b, g in zip(bias, grad, strict=True)]
            for f in kept:
                weights[f] = [w * shrink - g for w, g in zip(weights[f], grad, strict=True)]
    return bias, weights


def cut_examples(text: str, true_cut: tuple[int, int] | None, labeller: RouterModel) -> list[CutExample]:
    """Every possible cut of `text`; only `true_cut` (token indices) is positive."""
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    breaks = gap_breaks(text, tokens)
    table = SpanTable(labeller, norms)
    out: list[CutExample] = []
    for end in range(1, len(norms)):
        start = end
        while start < len(norms):
            feats = cut_features(norms, breaks, end, start, table)
            out.append(CutExample(feats, (end, start) == true_cut))
            if norms[start] not in CONNECTORS or start - end >= MAX_CONNECTORS:
                break
            start += 1
    return out


def true_cut(text: str, tail_start: int) -> tuple[int, int]:
    """Token indices of the cut before the second ask (starting at `tail_start`), connectors swallowed."""
    tokens = tokenize(text)
    start = next(i for i, t in enumerate(tokens) if t.start >= tail_start)
    end = start
    while end > 1 and tokens[end - 1].norm in CONNECTORS and start - end < MAX_CONNECTORS:
        end -= 1
    return end, start


def composed_for_cuts(
    examples: Sequence[Example], count: int, seed: int
) -> list[tuple[str, tuple[int, int]]]:
    """Two-ask messages (any two examples, joined every way we know) with their true cut."""
    rnd = random.Random(seed)
    joins: list[tuple[Callable[[str, str, str], tuple[str, int]], str]] = [
        *((join_connected, j) for j in CONNECTOR_JOINS),
        *((join_bare, j) for j in BARE_JOINS),
        *((join_bare, j) for j in BARE_JOINS),
    ]
    out: list[tuple[str, tuple[int, int]]] = []
    while len(out) < count:
        a, b = rnd.choice(examples), rnd.choice(examples)
        join, joiner = joins[len(out) % len(joins)]
        text, tail_start = join(a.text, b.text, joiner)
        out.append((text, true_cut(text, tail_start)))
    return out


def train_cut_model(
    examples: list[CutExample], epochs: int = 8, lr: float = 0.1, min_count: int = 2
) -> dict[str, float]:
    counts = Counter(f for e in examples for f in e.features)
    weights = {f: 0.0 for f, n in counts.items() if n >= min_count}
    rnd = random.Random(SEED)
    order = list(range(len(examples)))
    for epoch in range(epochs):
        rnd.shuffle(order)
        rate = lr / (1 + 0.5 * epoch)
        for i in order:
            ex = examples[i]
            kept = [f for f in ex.features if f in weights]
            z = sum(weights[f] for f in kept)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = rate * (p - (1.0 if ex.positive else 0.0))
            for f in kept:
                weights[f] -= g
    return weights


def artefact(
    classes: Sequence[str],
    bias: Sequence[float],
    weights: dict[str, list[float]],
    cut: dict[str, float],
    params: dict[str, float],
    label_of: Labelling,
    prune: float = 0.01,
) -> dict[str, object]:
    """The JSON artefact: weights as integers (x SCALE), weights under `prune` dropped."""
    return {
        "format": 1,
        "attribution": (
            "Weights learned from the Bitext Sample Pre-built Customer Support dataset (27 intents), "
            "(c) Bitext, CDLA-Sharing-1.0, and from this project's own examples."
        ),
        "classes": list(classes),
        "labels": [label_of(c) for c in classes],
        "scale": SCALE,
        **params,
        "label": {
            "bias": [round(b * SCALE) for b in bias],
            "features": {
                f: [round(w * SCALE) for w in ws]
                for f, ws in sorted(weights.items())
                if max(abs(w) for w in ws) >= prune
            },
        },
        "cut": {"features": {f: round(w * SCALE) for f, w in sorted(cut.items()) if abs(w) >= prune}},
    }


def found_labels(model: RouterModel, text: str) -> list[str]:
    return [s.label for s in model.segment(text) if s.label != NONE]


def dev_sets(dev: Sequence[Example]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    singles = [(e.text, (e.label,) if e.label != NONE else ()) for e in dev]
    a = compose_pairs(dev, DEV_PAIRS, CONNECTOR_JOINS, is_bare=False, seed=SEED + 1)
    b = compose_pairs(dev, DEV_PAIRS, BARE_JOINS, is_bare=True, seed=SEED + 2)
    return {
        "single": singles,
        "connectors": [(c.text, c.labels) for c in a],
        "bare": [(c.text, c.labels) for c in b],
    }


def dev_cost(model: RouterModel, sets: dict[str, list[tuple[str, tuple[str, ...]]]]) -> tuple[int, str]:
    """Weighted dev errors: a single-ask error counts 4, a connector one 2, a bare one 1, a dropped ask 2."""
    weight = {"single": 4, "connectors": 2, "bare": 1}
    cost = 0
    notes: list[str] = []
    for name, items in sets.items():
        errors = dropped = 0
        for text, labels in items:
            found = found_labels(model, text)
            errors += not (set(found) == set(labels) and len(found) == len(labels))
            dropped += max(0, len(labels) - len(set(found)))
        cost += weight[name] * errors + 2 * dropped
        notes.append(f"{name} {1 - errors / len(items):.4f} ({dropped} dropped)")
    return cost, ", ".join(notes)


def tune(base: dict[str, object], dev: Sequence[Example]) -> dict[str, float]:
    """The segmentation weights with the lowest `dev_cost`; the first in `GRID` order on a tie.
    Then the `none` floor, from `NONE_FLOORS`, for those weights (the highest on a tie)."""
    sets = dev_sets(dev)
    best: tuple[int, dict[str, float]] = (2**31, {})
    for alpha, penalty, beta in GRID:
        weights = {"alpha": alpha, "penalty": penalty, "beta": beta}
        cost, notes = dev_cost(RouterModel({**base, **weights}), sets)
        print(f"  alpha {alpha} penalty {penalty} beta {beta}: cost {cost}; {notes}", flush=True)
        if cost < best[0]:
            best = (cost, weights)
    for floor in NONE_FLOORS[1:]:
        weights = {**best[1], "none_floor": floor}
        cost, notes = dev_cost(RouterModel({**base, **weights}), sets)
        print(f"  {best[1]} none_floor {floor}: cost {cost}; {notes}", flush=True)
        if cost <= best[0]:  # on a tie the higher floor: in doubt, keep an ask rather than drop it
            best = (cost, weights)
    return best[1]


def train(
    examples: Sequence[Example], label_of: Labelling
) -> tuple[list[str], list[float], dict[str, list[float]], dict[str, float]]:
    """Both models on `examples`: fine classes, label bias and weights, cut weights."""
    t0 = time.perf_counter()
    bias, weights = train_label_model(examples)
    classes = fine_classes(examples)
    labeller = RouterModel(
        {**artefact(classes, bias, weights, {}, {}, label_of), **dict.fromkeys(PARAMS, 0.0)}
    )
    cut_data = [c for e in examples for c in cut_examples(e.text, None, labeller)]
    for text, cut in composed_for_cuts(examples, 2 * len(examples), SEED):
        cut_data.extend(cut_examples(text, cut, labeller))
    cut = train_cut_model(cut_data)
    print(
        f"trained on {len(examples)} examples: {len(weights)} label features, {len(cut)} cut features "
        f"from {len(cut_data)} cuts ({time.perf_counter() - t0:.0f}s)",
        flush=True,
    )
    return classes, bias, weights, cut


def main(argv: Sequence[str] | None, label_of: Labelling, extra: Sequence[Path]) -> None:
    """Train on the train split, tune on dev, train again on both, write the artefact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--train-only", action="store_true", help="write the model trained on train alone (dev stays unseen)"
    )
    args = parser.parse_args(argv)
    examples = load_examples(label_of, extra)
    train_set, dev = in_split(examples, "train"), in_split(examples, "dev")
    print(f"examples: train {len(train_set)}, dev {len(dev)}; eval held back", flush=True)
    classes, bias, weights, cut = train(train_set, label_of)
    fixed = {"threshold": THRESHOLD, "min_margin": MIN_MARGIN, "none_floor": NONE_FLOOR}
    chosen = tune({**artefact(classes, bias, weights, cut, {}, label_of), **fixed}, dev)
    final = train_set
    if not args.train_only:
        print(f"chosen on dev: {chosen}; now training on train + dev", flush=True)
        final = [*train_set, *dev]
        classes, bias, weights, cut = train(final, label_of)
    out = artefact(classes, bias, weights, cut, {**fixed, **chosen}, label_of)
    out["trained_on"] = {
        "examples": len(final),
        "by_label": dict(sorted(Counter(e.label for e in final).items())),
    }
    args.out.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
