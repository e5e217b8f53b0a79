"""The trained router: a linear intent classifier over every span of a message, a cut model for
where one ask ends and the next begins, and the segmentation that best explains the message.

Pure and deterministic: no I/O but loading the committed artefact `routing/router_model.json`
(written by `python -m workflows train-router`), no clock, no randomness. Every span's class scores
come from two prefix sums; one pass of dynamic programming over the likely cuts finds the best
segmentation, maximising

    sum over segments of  log p(label | segment) + beta * (top score - mean score)
  + sum over cuts of      alpha * logit p(cut here) - penalty

The second segment term is the segment's raw evidence for its label: additive, so two asks score
higher cut apart than read as one. A cut may swallow connector words ("and", "also", "btw")
between two segments. Segments labelled `none` ask nothing; adjacent segments with the same label
are one ask. See docs/routing.md.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from routing.features import (
    CONNECTORS,
    MAX_CONNECTORS,
    Token,
    Windows,
    cut_features,
    gap_breaks,
    span_features,
    token_features,
    tokenize,
)

MODEL_PATH = Path(__file__).resolve().parent / "router_model.json"
NONE = "none"
"""The label of text that asks nothing."""
OTHER = "other"
"""The label of an ask no workflow takes (a person answers it)."""


CUT_FLOOR = 8.0
"""Cuts costing more than this are never taken on dev data; skipping them keeps a message near O(n)."""
NEGATIONS = frozenset(
    "dont not never cant wont doesnt didnt isnt arent wasnt havent hasnt shouldnt wouldnt couldnt".split()
)
"""No cut falls right after one of these inside a sentence: a negation belongs to what follows it
("I don't | want order 1002 anymore" would read the rest as its opposite)."""


class RouterArtefactError(ValueError):
    """`routing/router_model.json` cannot be read as a router (retrain: `python -m workflows train-router`)."""


@dataclass(frozen=True)
class Span:
    """One labelled part of a message: a segment of the best segmentation (not an accounting segment)."""

    label: str
    confidence: float
    start: int
    """Character offset of the segment's first token."""
    end: int
    """Character offset just after its last token."""
    margin: float
    """How much better this segment scored whole than split into two asks of different labels
    (infinite when no cut inside it is possible)."""


class RouterModel:
    """The trained weights, and the segmentation that reads them.

    Raises `RouterArtefactError` when the artefact lacks a field or has the wrong shape.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self._load(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise RouterArtefactError(f"router artefact is malformed: {exc!r}") from exc

    def _load(self, data: Mapping[str, Any]) -> None:
        classes, labels, label, cut = data["classes"], data["labels"], data["label"], data["cut"]
        if len(classes) != len(labels) or len(label["bias"]) != len(classes):
            raise ValueError("classes, labels and bias differ in length")
        scale = float(data["scale"])
        self.classes: tuple[str, ...] = tuple(classes)
        """The fine classes the label model scores (the source intents)."""
        self._set_labels(labels)
        self.bias: list[float] = [w / scale for w in label["bias"]]
        self.weights: dict[str, list[float]] = {
            f: [w / scale for w in ws] for f, ws in label["features"].items()
        }
        self.cut_weights: dict[str, float] = {f: w / scale for f, w in cut["features"].items()}
        self.alpha = float(data["alpha"])
        """Weight of the cut model's logit against the segments' label scores."""
        self.penalty = float(data["penalty"])
        """Cost of every extra segment."""
        self.beta = float(data["beta"])
        """Weight of a segment's raw evidence for its label (top score minus the mean score)."""
        self.threshold = float(data["threshold"])
        """Below this probability a segment's label is not trusted: the model is asked."""
        self.min_margin = float(data["min_margin"])
        """Below this margin a segment may hide a second ask: the model is asked."""
        self.none_floor = float(data["none_floor"])
        """A segment is read as asking nothing only with at least this probability: when in doubt,
        an ask is kept (and the model asked) rather than dropped."""
        self.zero = [0.0] * len(self.classes)
        self.token_vector = lru_cache(maxsize=50_000)(self._token_vector)

    def _set_labels(self, labels: Sequence[str]) -> None:
        self.label_of: tuple[str, ...] = tuple(labels)
        """The router label of each fine class."""
        self.labels: tuple[str, ...] = tuple(dict.fromkeys(self.label_of))
        self.groups: tuple[tuple[int, ...], ...] = tuple(
            tuple(i for i, lab in enumerate(self.label_of) if lab == name) for name in self.labels
        )
        self.none_index = self.labels.index(NONE) if NONE in self.labels else -1

    def relabelled(self, label_of: Callable[[str], str]) -> RouterModel:
        """The same weights with each fine class read as `label_of(class)`: which asks go to which
        workflow is the workflow registry's, not the artefact's (no retraining to add a workflow
        that takes asks the router already tells apart)."""
        twin = copy.copy(self)
        twin._set_labels([label_of(c) for c in self.classes])  # pylint: disable=protected-access
        return twin

    def _vector(self, feats: Sequence[str]) -> list[float]:
        out = self.zero
        for f in feats:
            ws = self.weights.get(f)
            if ws is not None:
                out = [a + b for a, b in zip(out, ws, strict=True)]
        return out

    def _token_vector(self, norm: str, role: str) -> list[float]:
        if role == "s":
            return self._vector([f"s:{norm}"])
        if role == "e":
            return self._vector([f"e:{norm}"])
        return self._vector(token_features(norm))

    def scores(self, norms: Sequence[str]) -> list[float]:
        """Fine-class scores of one whole span (what `SpanTable` reproduces for every span)."""
        return [a + b for a, b in zip(self.bias, self._vector(span_features(norms)), strict=True)]

    def probabilities(self, norms: Sequence[str]) -> dict[str, float]:
        """Router label -> probability, for one whole span."""
        return self.label_probabilities(self.scores(norms))

    def label_probabilities(self, scores: Sequence[float]) -> dict[str, float]:
        probs = softmax(scores)
        return {
            name: sum(probs[i] for i in group) for name, group in zip(self.labels, self.groups, strict=True)
        }

    def cut_cost(
        self, norms: Sequence[str], breaks: Sequence[str], end: int, start: int, windows: Windows
    ) -> float:
        feats = cut_features(norms, breaks, end, start, windows)
        return self.alpha * sum(self.cut_weights.get(f, 0.0) for f in feats) - self.penalty

    def cuts(
        self, norms: Sequence[str], breaks: Sequence[str], windows: Windows
    ) -> list[tuple[int, int, float]]:
        """Every cut worth considering as (end of one segment, start of the next, cost), by start."""
        out: list[tuple[int, int, float]] = []
        for end in range(1, len(norms)):
            if norms[end - 1] in NEGATIONS and not breaks[end]:
                continue
            start = end
            while start < len(norms):
                cost = self.cut_cost(norms, breaks, end, start, windows)
                if cost > -CUT_FLOOR:
                    out.append((end, start, cost))
                if norms[start] not in CONNECTORS or start - end >= MAX_CONNECTORS:
                    break
                start += 1
        return sorted(out, key=lambda c: c[1])

    def segment(self, text: str) -> list[Span]:
        """The best segmentation of `text`, adjacent same-label segments merged, in order."""
        tokens = tokenize(text)
        if not tokens:
            return []
        norms = [t.norm for t in tokens]
        breaks = gap_breaks(text, tokens)
        table = SpanTable(self, norms)
        cuts = self.cuts(norms, breaks, table)
        best: list[tuple[float, tuple[int, int] | None]] = [(-math.inf, None)]
        for end in range(1, len(norms) + 1):
            top: tuple[float, tuple[int, int] | None] = (table.score(0, end), None)
            for j, k, cost in cuts:
                if k >= end:
                    break
                total = best[j][0] + cost + table.score(k, end)
                if total > top[0]:
                    top = (total, (j, k))
            best.append(top)
        pieces: list[tuple[int, int]] = []
        end, back = len(norms), best[-1][1]
        while back is not None:
            pieces.append((back[1], end))
            end, back = back[0], best[back[0]][1]
        pieces.append((0, end))
        return self._merged(tokens, table, cuts, pieces[::-1])

    def _merged(
        self,
        tokens: Sequence[Token],
        table: SpanTable,
        cuts: Sequence[tuple[int, int, float]],
        pieces: Sequence[tuple[int, int]],
    ) -> list[Span]:
        groups: list[tuple[int, int, str]] = []
        for start, end in pieces:
            label = table.label(start, end)
            if groups and groups[-1][2] == label:
                groups[-1] = (groups[-1][0], end, label)
            else:
                groups.append((start, end, label))
        out: list[Span] = []
        for start, end, label in groups:
            conf = self.label_probabilities(table.scores(start, end))[label]
            whole = table.score(start, end)
            split = max(
                (
                    table.score(start, j) + cost + table.score(k, end)
                    for j, k, cost in cuts
                    if start < j and k < end and table.label(start, j) != table.label(k, end)
                ),
                default=-math.inf,
            )
            out.append(Span(label, conf, tokens[start].start, tokens[end - 1].end, whole - split))
        return out


class SpanTable:
    """Fine-class scores of every span by prefix sums (unigrams, inner bigrams, first and last token),
    and each span's best router label and segment score, cached."""

    def __init__(self, model: RouterModel, norms: Sequence[str]) -> None:
        self.model = model
        zero = model.zero
        uni = [zero]
        for n in norms:
            uni.append([a + b for a, b in zip(uni[-1], model.token_vector(n, "w"), strict=True)])
        bi = [zero, zero]
        for a, b in itertools.pairwise(norms):
            bi.append([x + y for x, y in zip(bi[-1], model.weights.get(f"b:{a} {b}", zero), strict=True)])
        self.left = [
            [
                b + f - u - g
                for b, f, u, g in zip(model.bias, model.token_vector(n, "s"), uni[i], bi[i + 1], strict=True)
            ]
            for i, n in enumerate(norms)
        ]
        self.right = [zero] + [
            [
                u + g + la
                for u, g, la in zip(uni[e], bi[e], model.token_vector(norms[e - 1], "e"), strict=True)
            ]
            for e in range(1, len(norms) + 1)
        ]
        self._cache: dict[tuple[int, int], tuple[float, str]] = {}

    def scores(self, start: int, end: int) -> list[float]:
        return [a + b for a, b in zip(self.left[start], self.right[end], strict=True)]

    def _top(self, start: int, end: int) -> tuple[float, str]:
        hit = self._cache.get((start, end))
        if hit is None:
            model = self.model
            s = self.scores(start, end)
            top = max(s)
            exps = [math.exp(x - top) for x in s]
            sums = [sum([exps[i] for i in group]) for group in model.groups]
            best = max(range(len(sums)), key=sums.__getitem__)
            total = sum(sums)
            if best == model.none_index and sums[best] < model.none_floor * total:
                best = max((i for i in range(len(sums)) if i != best), key=sums.__getitem__)
            evidence = max(s[i] for i in model.groups[best]) - sum(s) / len(s)
            hit = (math.log(sums[best] / total) + model.beta * evidence, model.labels[best])
            self._cache[(start, end)] = hit
        return hit

    def score(self, start: int, end: int) -> float:
        return self._top(start, end)[0]

    def window(self, start: int, end: int) -> tuple[str, float]:
        """The router label of a span and its probability."""
        probs = self.model.label_probabilities(self.scores(start, end))
        label = max(probs, key=probs.__getitem__)
        return label, probs[label]

    def label(self, start: int, end: int) -> str:
        return self._top(start, end)[1]


def softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@cache
def load_model(path: Path = MODEL_PATH) -> RouterModel:
    """The committed artefact, loaded once per process."""
    return RouterModel(json.loads(path.read_text(encoding="utf-8")))
