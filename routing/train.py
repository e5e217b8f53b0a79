"""Train the router offline and write `routing/router_model.json`: `python -m workflows train-router`
(the workflow registry gives the labels and the example files).

Two models, both logistic regression fitted by scikit-learn (a training dependency only: the
runtime reads the JSON artefact, see docs/routing.md):
- the label model over the source intents (`fine_classes`), summed per router label at run time,
  over word, character-trigram, word-bigram and first/last-word features (`routing.features`);
  its probabilities are calibrated by one temperature fitted on the dev split;
- the cut model, on two-ask messages composed from training examples (connector and bare joins),
  every other possible cut of those messages and of single asks being a negative; it also reads
  the label model's view of the words either side of a cut.
The training examples (never dev or eval) get one noisy copy each (`noisy`: typos, text-speak,
lower case without punctuation). Our natural examples (`routing/data/natural_examples.jsonl`) and
the written messages (`routing/data/written/`, `routing.written`: their pieces, their one-ask
messages, and the joins of their messages of several asks for the cut model) are all training. Both models are trained on the train split; the temperature and the segmentation's
weights (alpha, penalty, beta) are chosen on the dev split and the two natural dev sets
(`evals/routing/dev.jsonl` and `dev_b.jsonl`, two writers), by the asks `read_message` finds (as
served); then both are trained again on train + dev.
The eval split and the natural eval set are never read here. The fallback threshold and margin are fixed constants; the
`none` floor is chosen on dev (docs/routing.md).

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
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from routing.classifier import MODEL_PATH, RouterModel, SpanTable
from routing.corpus import (
    BARE_JOINS,
    CONNECTOR_JOINS,
    NATURAL_DEV,
    NATURAL_DEV_B,
    NONE,
    Example,
    Labelling,
    bare,
    compose_pairs,
    in_split,
    join_bare,
    join_connected,
    load_examples,
    load_natural,
    natural_dev,
)
from routing.features import (
    CONNECTORS,
    MAX_CONNECTORS,
    cut_features,
    gap_breaks,
    span_features,
    tokenize,
)
from routing.reading import read_message
from routing.written import WRITTEN_LATER, Joins, written_training

SCALE = 1000
SEED = 20261125
LABEL_C = 8.0
"""Inverse L2 strength of the label model."""
CUT_C = 1.0
TEMPERATURES = tuple(round(0.5 + 0.1 * i, 1) for i in range(26))
"""Temperatures tried for the calibration (0.5 to 3.0)."""
DEV_PAIRS = 600
GRID = [(a, p, b) for a in (0.5, 1.0) for p in (2.0, 3.0, 4.0) for b in (0.5, 0.7)]
"""(alpha, penalty, beta) tried on dev."""
PARAMS = ("alpha", "penalty", "beta", "threshold", "min_margin", "none_floor")
THRESHOLD = 0.8
"""A segment whose label probability is below this asks the model."""
MIN_MARGIN = 1.0
"""A segment that scores less than this above its best two-ask split asks the model."""
NONE_FLOOR = 0.5
"""A segment is read as asking nothing only when `none` has at least this probability..."""
NONE_FLOORS = (NONE_FLOOR, 0.6, 0.7, 0.8)
"""...or the higher floor that reads dev best ("could be way better" is a review, not an answer)."""


PRUNE = 0.02
"""Weights under this are not written: an artefact of T1-T7 went from 4.9 to 4.2 MB with the same
classifier rows of `make routing-eval` (docs/routing.md, round four)."""
LATER = "T4:1,T5:1,T6:1,T7:1"
"""The later written files (`routing/data/written_later/`) trained on, with their sample weights
(T8 and T9 arrived after round four and are not trained on yet)."""
BASE_WEIGHT = 5.0
"""The label model's sample weight of the Bitext rows and our template examples (`load_examples`):
5 keeps the Bitext sets where they were with the written data T4-T7 (docs/routing.md, round four)."""
LATER_CUTS = "T4,T5,T6,T7"
"""The later written files whose real joins the cut model learns."""


def later_data(
    label_of: Labelling, natural: Sequence[Example], written: Sequence[Example], spec: str, cuts: str
) -> tuple[list[Example], list[float], list[Joins]]:
    """The label model's examples from the later written files named in `spec` ("T4:0.5,T7:1"),
    their sample weights, and the joins of the files named in `cuts` ("T6,T7")."""
    examples: list[Example] = []
    weights: list[float] = []
    joins: list[Joins] = []
    wanted = dict(part.split(":") for part in spec.split(",") if part)
    cut_names = {c for c in cuts.split(",") if c}
    for name in sorted({*wanted, *cut_names}):
        found, found_joins = written_training(
            label_of, natural, [WRITTEN_LATER / f"{name}.jsonl"], [*written, *examples]
        )
        if name in wanted:
            examples.extend(found)
            weights.extend([float(wanted[name])] * len(found))
        if name in cut_names:
            joins.extend(found_joins)
    return examples, weights, joins


@dataclass(frozen=True)
class CutExample:
    features: list[str]
    positive: bool


def fine_classes(examples: Sequence[Example]) -> list[str]:
    """The source intents, sorted: the label model scores these and sums them per router label."""
    return sorted({e.source for e in examples})


def train_label_model(
    examples: Sequence[Example],
    c: float = LABEL_C,
    min_count: int = 2,
    sample_weight: Sequence[float] | None = None,
) -> tuple[list[float], dict[str, list[float]]]:
    """Multinomial logistic regression over `span_features` and the fine classes (see `fine_classes`);
    `sample_weight`, one per example, weighs each example's loss (default: 1 each)."""
    classes = fine_classes(examples)
    data = [span_features([t.norm for t in tokenize(e.text)]) for e in examples]
    counts = Counter(f for feats in data for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    matrix = _sparse(data, {f: i for i, f in enumerate(vocab)})
    fitted = LogisticRegression(C=c, max_iter=400, tol=1e-4)
    fitted.fit(matrix, [classes.index(e.source) for e in examples], sample_weight=sample_weight)
    coef = fitted.coef_.T.tolist()
    return fitted.intercept_.tolist(), dict(zip(vocab, coef, strict=True))


def _sparse(rows: Sequence[Sequence[str]], index: dict[str, int]) -> csr_matrix:
    """Feature counts as a sparse matrix (a feature seen twice in a span counts twice, as at run time)."""
    cols: list[int] = []
    ptr = [0]
    for feats in rows:
        cols.extend(index[f] for f in feats if f in index)
        ptr.append(len(cols))
    return csr_matrix(([1.0] * len(cols), cols, ptr), shape=(len(rows), len(index)))


def temperature(model: RouterModel, examples: Sequence[Example]) -> float:
    """The temperature that makes the label model's fine-class probabilities fit `examples` best
    (lowest log loss): the calibration, applied to the weights before they are written."""
    classes = list(model.classes)
    scored = [
        (model.scores([t.norm for t in tokenize(e.text)]), classes.index(e.source))
        for e in examples
        if e.source in classes
    ]

    def loss(t: float) -> float:
        total = 0.0
        for scores, y in scored:
            scaled = [s / t for s in scores]
            top = max(scaled)
            total += top + math.log(sum(math.exp(s - top) for s in scaled)) - scaled[y]
        return total / len(scored)

    return min(TEMPERATURES, key=loss)


def noisy(text: str, rnd: random.Random) -> str:
    """A copy of `text` as people type it: lower case without punctuation, text-speak, typos
    (one or more of them). For training examples only."""
    words = text.split()
    if rnd.random() < 0.5:
        words = [TEXTSPEAK.get(w.lower(), w) for w in words]
    out = []
    for w in words:
        if len(w) >= 4 and w.isalpha() and rnd.random() < 0.15:
            i = rnd.randrange(1, len(w) - 1)
            op = rnd.randrange(3)
            w = (
                w[:i] + w[i + 1 :]
                if op == 0
                else w[:i] + w[i + 1] + w[i] + w[i + 2 :]
                if op == 1
                else w[:i] + w[i] + w[i:]
            )
        out.append(w)
    typed = " ".join(out)
    return bare(typed) if rnd.random() < 0.6 else typed


TEXTSPEAK = {
    "you": "u", "your": "ur", "you're": "ur", "please": "pls", "thanks": "thx", "are": "r", "for": "4",
    "to": "2", "i'm": "im", "don't": "dont", "can't": "cant", "want": "wanna", "okay": "ok",
    "because": "cuz", "what": "wat", "where's": "wheres", "is": "is", "the": "da", "tomorrow": "tmrw",
}  # fmt: skip
"""Words as people shorten them in chat (a noisy copy uses them half the time)."""


def augmented(examples: Sequence[Example], seed: int = SEED) -> list[Example]:
    """`examples` and one noisy copy of each (the copy keeps the example's labels)."""
    rnd = random.Random(seed)
    return [*examples, *(Example(noisy(e.text, rnd), e.source, e.label) for e in examples)]


def cut_examples(
    text: str,
    true_cuts: Collection[tuple[int, int]],
    labeller: RouterModel,
    unknown: Collection[int] = (),
) -> list[CutExample]:
    """Every possible cut of `text`; only `true_cuts` (token indices) are positive. A cut touching a
    token index of `unknown` (end <= i <= start) is neither: it is left out."""
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    breaks = gap_breaks(text, tokens)
    table = SpanTable(labeller, norms)
    out: list[CutExample] = []
    for end in range(1, len(norms)):
        start = end
        while start < len(norms):
            if not any(end <= i <= start for i in unknown):
                feats = cut_features(norms, breaks, end, start, table)
                out.append(CutExample(feats, (end, start) in true_cuts))
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


def written_cuts(joins: Joins) -> tuple[list[tuple[int, int]], list[int]]:
    """The true cuts of a written message of several asks (token indices, connectors either side
    of a join swallowed), and the token indices where an ask meets context."""
    tokens = tokenize(joins.text)

    def index(offset: int) -> int:
        return next((i for i, t in enumerate(tokens) if t.start >= offset), len(tokens))

    cuts: list[tuple[int, int]] = []
    for offset in joins.joins:
        end = start = index(offset)
        if not 0 < start < len(tokens):
            continue
        while start + 1 < len(tokens) and tokens[start].norm in CONNECTORS and start - end < MAX_CONNECTORS:
            start += 1
        while end > 1 and tokens[end - 1].norm in CONNECTORS and start - end < MAX_CONNECTORS:
            end -= 1
        cuts.append((end, start))
    return cuts, [index(offset) for offset in joins.near_context]


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


def train_cut_model(examples: list[CutExample], c: float = CUT_C, min_count: int = 2) -> dict[str, float]:
    counts = Counter(f for e in examples for f in e.features)
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    matrix = _sparse([e.features for e in examples], {f: i for i, f in enumerate(vocab)})
    fitted = LogisticRegression(C=c, max_iter=400, tol=1e-4)
    fitted.fit(matrix, [int(e.positive) for e in examples])
    weights = dict(zip(vocab, fitted.coef_[0].tolist(), strict=True))
    weights["bias"] = weights.get("bias", 0.0) + float(fitted.intercept_[0])
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
    """The JSON artefact: weights as integers (x SCALE), features whose largest weight is under
    `prune` once written as an integer dropped."""
    least = prune * SCALE
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
                if max(abs(round(w * SCALE)) for w in ws) >= least
            },
        },
        "cut": {
            "features": {
                f: round(w * SCALE) for f, w in sorted(cut.items()) if abs(round(w * SCALE)) >= least
            }
        },
    }


def found_labels(model: RouterModel, text: str) -> list[str]:
    """The asks `read_message` finds: the segmentation and the reading's rules, as served."""
    return [i["name"] for i in read_message(text, model).intents]


Labelled = list[tuple[str, tuple[str, ...]]]
"""Messages with the router labels they ask."""


def dev_sets(dev: Sequence[Example], naturals: Mapping[str, Labelled] | None = None) -> dict[str, Labelled]:
    """The Bitext dev split (single asks, two-ask messages composed from it) and the natural dev sets
    (`natural`, `natural_b`: one per writer)."""
    singles = [(e.text, (e.label,) if e.label != NONE else ()) for e in dev]
    a = compose_pairs(dev, DEV_PAIRS, CONNECTOR_JOINS, is_bare=False, seed=SEED + 1)
    b = compose_pairs(dev, DEV_PAIRS, BARE_JOINS, is_bare=True, seed=SEED + 2)
    return {
        "single": singles,
        "connectors": [(c.text, c.labels) for c in a],
        "bare": [(c.text, c.labels) for c in b],
        **(naturals or {}),
    }


DEV_WEIGHTS = {"single": 4, "connectors": 2, "bare": 1, "natural": 2, "natural_b": 2}
"""A dev error's weight by set; every dropped ask costs 2 more, and so does every invented ask of
the natural sets (customers' own words, where context sentences are read as asks). Both natural
sets weigh the same: one writer's dev alone did not transfer to another's (docs/routing.md)."""


def dev_cost(model: RouterModel, sets: Mapping[str, Labelled]) -> tuple[int, str]:
    """Weighted dev errors (`DEV_WEIGHTS`), plus 2 for every dropped ask and every invented natural ask."""
    cost = 0
    notes: list[str] = []
    for name, items in sets.items():
        if not items:
            continue
        errors = dropped = invented = 0
        for text, labels in items:
            found = set(found_labels(model, text))
            errors += found != set(labels)
            dropped += len(set(labels) - found)
            invented += len(found - set(labels))
        cost += DEV_WEIGHTS[name] * errors + 2 * dropped + (2 * invented if name.startswith("natural") else 0)
        notes.append(f"{name} {1 - errors / len(items):.4f} ({dropped} dropped, {invented} invented)")
    return cost, ", ".join(notes)


def tune(
    base: dict[str, object], dev: Sequence[Example], naturals: Mapping[str, Labelled] | None = None
) -> dict[str, float]:
    """The segmentation weights with the lowest `dev_cost`; the first in `GRID` order on a tie.
    Then the `none` floor, from `NONE_FLOORS`, for those weights (the highest on a tie)."""
    sets = dev_sets(dev, naturals)
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
    examples: Sequence[Example],
    label_of: Labelling,
    temp: float = 1.0,
    joins: Sequence[Joins] = (),
    weights_of: Mapping[int, float] | None = None,
    label_c: float = LABEL_C,
) -> tuple[list[str], list[float], dict[str, list[float]], dict[str, float]]:
    """Both models on `examples` and a noisy copy of each: fine classes, label bias and weights
    (divided by the calibration temperature `temp`), cut weights (the cut model also learns the
    real joins of the written messages of several asks, `joins`). `weights_of` maps an example's
    index in `examples` to its sample weight in the label model (its noisy copy gets the same;
    default 1)."""
    t0 = time.perf_counter()
    noisy_too = augmented(examples)
    sample_weight = None
    if weights_of:
        once = [weights_of.get(i, 1.0) for i in range(len(examples))]
        sample_weight = [*once, *once]
    bias, weights = train_label_model(noisy_too, c=label_c, sample_weight=sample_weight)
    bias = [b / temp for b in bias]
    weights = {f: [w / temp for w in ws] for f, ws in weights.items()}
    classes = fine_classes(noisy_too)
    labeller = RouterModel(
        {**artefact(classes, bias, weights, {}, {}, label_of), **dict.fromkeys(PARAMS, 0.0)}
    )
    cut_data = [c for e in noisy_too for c in cut_examples(e.text, (), labeller)]
    for text, cut in composed_for_cuts(noisy_too, 2 * len(examples), SEED):
        cut_data.extend(cut_examples(text, {cut}, labeller))
    for message in joins:
        cuts, unknown = written_cuts(message)
        cut_data.extend(cut_examples(message.text, cuts, labeller, unknown))
    cut = train_cut_model(cut_data)
    print(
        f"trained on {len(noisy_too)} examples (half of them noisy copies): {len(weights)} label features, "
        f"{len(cut)} cut features from {len(cut_data)} cuts ({time.perf_counter() - t0:.0f}s)",
        flush=True,
    )
    return classes, bias, weights, cut


def main(argv: Sequence[str] | None, label_of: Labelling, extra: Sequence[Path]) -> None:
    """Train on the train split, calibrate and tune on dev, train again on both, write the artefact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--train-only", action="store_true", help="write the model trained on train alone (dev stays unseen)"
    )
    parser.add_argument(
        "--later",
        default=LATER,
        help="later written files and their sample weights, as T4:0.5,T7:1 (default %(default)r; '' for none)",
    )
    parser.add_argument(
        "--later-cuts",
        default=LATER_CUTS,
        help="later written files whose joins the cut model learns, as T6,T7 (default %(default)r)",
    )
    parser.add_argument(
        "--label-c", type=float, default=LABEL_C, help="inverse L2 strength of the label model"
    )
    parser.add_argument(
        "--base-weight",
        type=float,
        default=BASE_WEIGHT,
        help="sample weight of the Bitext rows and our template examples (default %(default)s)",
    )
    parser.add_argument(
        "--prune", type=float, default=PRUNE, help="drop weights under this (default %(default)s)"
    )
    args = parser.parse_args(argv)
    examples = load_examples(label_of, extra)
    natural = load_natural(label_of)
    written, joins = written_training(label_of, natural)
    later, later_weights, later_joins = later_data(label_of, natural, written, args.later, args.later_cuts)
    joins = [*joins, *later_joins]
    base = in_split(examples, "train")
    train_set = [*base, *natural, *written]
    weights_of = {i: args.base_weight for i in range(len(base))} if args.base_weight != 1.0 else {}
    weights_of.update({len(train_set) + i: w for i, w in enumerate(later_weights)})
    train_set.extend(later)
    dev = in_split(examples, "dev")
    natural_tuning = {
        name: natural_dev(label_of, path)
        for name, path in (("natural", NATURAL_DEV), ("natural_b", NATURAL_DEV_B))
        if path.exists()
    }
    sizes = ", ".join(f"{name} dev {len(rows)}" for name, rows in natural_tuning.items())
    print(
        f"examples: train {len(train_set)} ({len(natural)} natural, {len(written)} written, "
        f"{len(later)} written later at weights {args.later!r}, and "
        f"{len(joins)} written messages of several asks for the cut model), dev {len(dev)}, {sizes}; "
        "eval held back",
        flush=True,
    )
    classes, bias, weights, cut = train(
        train_set, label_of, joins=joins, weights_of=weights_of, label_c=args.label_c
    )
    fixed = {"threshold": THRESHOLD, "min_margin": MIN_MARGIN, "none_floor": NONE_FLOOR}
    raw = RouterModel(
        {**artefact(classes, bias, weights, cut, {}, label_of), **fixed, **dict.fromkeys(PARAMS[:3], 0.0)}
    )
    temp = temperature(raw, dev)
    print(f"calibration temperature on dev: {temp}", flush=True)
    bias = [b / temp for b in bias]
    weights = {f: [w / temp for w in ws] for f, ws in weights.items()}
    chosen = tune({**artefact(classes, bias, weights, cut, {}, label_of), **fixed}, dev, natural_tuning)
    final = train_set
    if not args.train_only:
        print(f"chosen on dev: {chosen}; now training on train + dev", flush=True)
        final = [*train_set, *dev]
        if args.base_weight != 1.0:
            weights_of.update({len(train_set) + i: args.base_weight for i in range(len(dev))})
        classes, bias, weights, cut = train(final, label_of, temp, joins, weights_of, args.label_c)
    out = artefact(
        classes, bias, weights, cut, {**fixed, **chosen, "temperature": temp}, label_of, prune=args.prune
    )
    out["trained_on"] = {
        "examples": len(final),
        "by_label": dict(sorted(Counter(e.label for e in final).items())),
        "later": args.later,
        "later_cuts": args.later_cuts,
        "base_weight": args.base_weight,
        "label_c": args.label_c,
    }
    args.out.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
