"""Train the injection meter's linear models offline: `make train-detector` (needs scikit-learn, the
`train` extra; nothing at run time needs it). Without arguments, the first model
(`tools/injection_model.json`, recipe `GENERAL`, described here); with `--field`, the field model
(`tools/injection_field_model.json`, recipe `FIELD`, `field_training_set`).

Reads the tune split of the trainable sources (texts the model scores: `MIN_WORDS` or more) of `bench.injection_corpus` only (the report split is
never read here; `carrier-events` is never trained on: karrio's samples are LGPL-3.0). Features are
`tools.injection_model.features` of the folded text, present or not, L2-normalised; the model is
scikit-learn's `LogisticRegression` (L2), every source weighted to the same total so the 8,000
Bitext messages do not drown the 30 InjecAgent ones (a template source to `TEMPLATE_SHARE` times it).
Held-out sources (`bench.injection_corpus.HELDOUT`) are never read for training: they are in
neither split and not in `TRAINABLE`; a template equal to one of their texts is left out too. Our template notes, events and requests meant
for an assistant (`bench.injection_augment`, `bench.injection_templates`) are added, less any that equals a measured text. The
threshold is chosen on out-of-fold scores (5 folds of the tune split, each fold's model with the
word domain of its own training texts): the lowest at which no negative source flags more than
`MAX_FALSE_FLAGS` (`MAX_FALSE_FLAGS_BY_SOURCE` where tighter). Features seen in fewer than `MIN_DF` tune texts are dropped, and weights under
`MIN_WEIGHT` are left out of the artefact, which keeps it small.

The artefact, `tools/injection_model.json`, holds numbers learned from MIT data (BIPIA, InjecAgent,
AgentDojo), Bitext's CDLA-Sharing-1.0 sample (a model trained on it is a "Result" under that licence,
as the router's is) and this project's notes: no text of any set.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import injection_augment, injection_templates
from bench.injection_corpus import TRAINABLE, Example, examples
from tools.injection import fold
from tools.injection_model import (
    FIELD_MIN_WORDS,
    FIELD_MODEL_PATH,
    MIN_WORDS,
    MODEL_PATH,
    features,
    reads,
    scored,
    words_of,
)

MIN_DF = 2
MIN_WEIGHT = 0.05
MAX_FALSE_FLAGS = 0.01
"""Out-of-fold false-flag rate allowed per negative source when choosing the threshold."""
MAX_FALSE_FLAGS_BY_SOURCE = {"bitext": 0.001}
"""Tighter where a test holds it (tests/tools/test_injection_corpus.py: Bitext <= 0.1 %)."""
C = 4.0
AUGMENTED = 600
"""Template notes and template events (`bench.injection_augment`) added to training, each."""
AUGMENTED_TASKS = 1200
"""Template requests meant for an assistant (`injection_augment.tasks`), positives."""
AUGMENTED_ACTIONS = 1500
"""Template actions in other systems, bent answers, an assistant addressed, general questions
(`injection_templates.actions`), positives."""
AUGMENTED_SHOP = 800
"""Template notes about the shop's own order, to the shop or from the warehouse (`injection_templates.shop_notes`)."""
AUGMENTED_CONTENT = 400
"""Template reviews, work emails, receipts and product texts (`injection_templates.content`), benign."""
AUGMENTED_GOALS = 800
"""Template goals for an agent and requests of BIPIA's kinds (`injection_templates.goals`), positives."""
TEMPLATE_SHARE = 2.0
FOLDS = 5
ATTRIBUTION = (
    "Weights learned from BIPIA (Microsoft, MIT), InjecAgent (MIT), AgentDojo (MIT), the Bitext Sample "
    "Pre-built Customer Support dataset ((c) Bitext, CDLA-Sharing-1.0) and this project's own notes."
)


FIELD_DATA = Path(__file__).resolve().parent / "data"
FIELD_WRITTEN = {
    "field-attacks": (FIELD_DATA / "field_attacks.jsonl", 1),
    "field-benign": (FIELD_DATA / "field_benign.jsonl", 0),
}
"""Texts written for our seven external fields (order note, item title, customer name, address line,
carrier event, tracking status, gift message) by two writers who never saw the meter or its data:
planted instructions and benign values. Training data of the field model only, never measured on."""
FIELD_BENIGN_SOURCES = frozenset({"bitext", "own-notes", "agentdojo-benign", "bipia-context"})
"""The measured benign sources the field model also learns from (their tune split)."""


@dataclass(frozen=True)
class Recipe:
    """How one artefact is trained: its regularisation, the shortest text it reads, the weight of a
    template source, and the false flags allowed out of fold per negative source."""

    path: Path
    c: float
    min_words: int
    template_share: float
    false_flags: Mapping[str, float]
    templates_hold_threshold: bool
    attribution: str

    def holds(self, source: str) -> bool:
        """Whether this negative source's out-of-fold flags set the threshold."""
        return self.templates_hold_threshold or not source.startswith("template-")

    def trained_on(self, training: Sequence[Example]) -> str:
        sources = sorted({e.source for e in training})
        return f"tune split of the measured sources, templates and written texts: {', '.join(sources)} ({len(training)} texts)"


GENERAL = Recipe(MODEL_PATH, C, MIN_WORDS, TEMPLATE_SHARE, MAX_FALSE_FLAGS_BY_SOURCE, True, ATTRIBUTION)
"""The meter's first model: instructions to an assistant as BIPIA, InjecAgent and AgentDojo write them."""
FIELD = Recipe(
    FIELD_MODEL_PATH,
    8.0,
    FIELD_MIN_WORDS,
    1.0,
    {"bitext": 0.0005},
    False,
    "Weights learned from the Bitext Sample Pre-built Customer Support dataset ((c) Bitext, CDLA-Sharing-1.0),"
    " BIPIA (Microsoft, MIT) and AgentDojo (MIT) benign texts, and this project's own notes and field texts.",
)
"""The field model: instructions planted in a name, a title, an address, a status or a note. Chosen on
nested folds of its training texts and on our first field-written held-out sets (docs/sanitiser.md,
round six): C = 8, texts of 2 words or more, Bitext held to 0.05 % out of fold so that the two models
together stay under the 0.1 % the tests hold, the written benign values and the other measured benign
sources to 1 %; templates weigh as a measured source and do not set the threshold."""


def _matrix(rows: Sequence[set[str]], vocabulary: dict[str, int]):
    from scipy.sparse import csr_matrix  # offline only: not a run-time dependency

    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for found in rows:
        kept = sorted(vocabulary[f] for f in found if f in vocabulary)
        value = 1.0 / math.sqrt(len(found)) if found else 0.0
        data += [value] * len(kept)
        indices += kept
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))


def _weights(train: Sequence[Example], template_share: float = TEMPLATE_SHARE) -> list[float]:
    per_source = Counter(e.source for e in train)
    sources = len(per_source)
    share = [template_share if e.source.startswith("template-") else 1.0 for e in train]
    return [s * len(train) / (sources * per_source[e.source]) for s, e in zip(share, train, strict=True)]


def _fit(train: Sequence[Example], rows: Sequence[set[str]], vocabulary: dict[str, int], recipe: Recipe):
    from sklearn.linear_model import LogisticRegression  # offline only: not a run-time dependency

    fitted = LogisticRegression(C=recipe.c, max_iter=5000)
    fitted.fit(
        _matrix(rows, vocabulary),
        [e.label for e in train],
        sample_weight=_weights(train, recipe.template_share),
    )
    return fitted


def _vocabulary(rows: Sequence[set[str]]) -> dict[str, int]:
    df = Counter(f for found in rows for f in found)
    return {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= MIN_DF))}


def out_of_fold(tune: Sequence[Example], recipe: Recipe = GENERAL) -> list[float]:
    """Each tune text's score by a model fitted on the other folds, with the domain (`domain_of`)
    of those folds too: a held-out note's rare words must count as rare, as they will at run time."""
    scores = [0.0] * len(tune)
    for fold_index in range(FOLDS):
        train = [e for i, e in enumerate(tune) if i % FOLDS != fold_index]
        held = [i for i in range(len(tune)) if i % FOLDS == fold_index]
        domain = domain_of(train)
        rows = [features(fold(e.text), domain) for e in train]
        vocabulary = _vocabulary(rows)
        fitted = _fit(train, rows, vocabulary, recipe)
        held_rows = [features(fold(tune[i].text), domain) for i in held]
        for i, p in zip(held, fitted.predict_proba(_matrix(held_rows, vocabulary))[:, 1], strict=True):
            scores[i] = float(p)
    return scores


def _threshold(tune: Sequence[Example], recipe: Recipe = GENERAL, *, verbose: bool = True) -> float:
    """The lowest threshold at which no negative source flags more than `MAX_FALSE_FLAGS` (the
    recipe's own limits where tighter), out of fold."""
    scores = out_of_fold(tune, recipe)
    threshold = 0.0
    for source in sorted({e.source for e in tune if e.label == 0 and recipe.holds(e.source)}):
        negatives = sorted((scores[i] for i, e in enumerate(tune) if e.source == source), reverse=True)
        allowed = math.floor(recipe.false_flags.get(source, MAX_FALSE_FLAGS) * len(negatives))
        if allowed < len(negatives):
            threshold = max(threshold, negatives[allowed] + 1e-6)
            if verbose:
                print(f"out of fold, {source:16} needs threshold {negatives[allowed] + 1e-6:.4f}")
    for source in sorted({e.source for e in tune if e.label == 1}):
        positives = [scores[i] for i, e in enumerate(tune) if e.source == source]
        recall = sum(p >= threshold for p in positives) / len(positives)
        if verbose:
            print(f"out of fold, {source:12} recall {recall:6.1%} at threshold {threshold:.4f}")
    return threshold


def domain_of(tune: Sequence[Example]) -> frozenset[str]:
    """The words of at least `MIN_DF` benign tune texts."""
    df = Counter(w for e in tune if e.label == 0 for w in set(words_of(fold(e.text))))
    return frozenset(w for w, n in df.items() if n >= MIN_DF)


def training_set() -> list[Example]:
    """The tune split of the trainable sources, and our template notes, events, shop notes,
    content, tasks and actions."""
    made = [Example("template-notes", t, 0) for t in injection_augment.notes(AUGMENTED)]
    made += [Example("template-events", t, 0) for t in injection_augment.events(AUGMENTED)]
    made += [Example("template-tasks", t, 1) for t in injection_augment.tasks(AUGMENTED_TASKS)]
    made += [Example("template-actions", t, 1) for t in injection_templates.actions(AUGMENTED_ACTIONS)]
    made += [Example("template-shop", t, 0) for t in injection_templates.shop_notes(AUGMENTED_SHOP)]
    made += [Example("template-content", t, 0) for t in injection_templates.content(AUGMENTED_CONTENT)]
    made += [Example("template-goals", t, 1) for t in injection_templates.goals(AUGMENTED_GOALS)]
    measured = {e.text for e in examples()}  # a template that happens to equal a measured text is left out
    made = [e for e in made if e.text not in measured]
    return [e for e in examples("tune", TRAINABLE) + made if scored(fold(e.text))]


def fit_artefact(training: Sequence[Example], recipe: Recipe = GENERAL, *, verbose: bool = True) -> dict:
    """The artefact of a model fitted on `training`, its threshold chosen out of fold on it."""
    domain = domain_of(training)
    rows = [features(fold(e.text), domain) for e in training]
    threshold = _threshold(training, recipe, verbose=verbose)
    vocabulary = _vocabulary(rows)
    fitted = _fit(training, rows, vocabulary, recipe)
    coefficients = fitted.coef_[0]
    weights = {
        f: round(float(coefficients[i]), 4)
        for f, i in vocabulary.items()
        if abs(coefficients[i]) >= MIN_WEIGHT
    }
    return {
        "format": 1,
        "attribution": recipe.attribution,
        "trained_on": recipe.trained_on(training),
        "min_words": recipe.min_words,
        "threshold": round(threshold, 6),
        "bias": round(float(fitted.intercept_[0]), 6),
        "domain": sorted(domain),
        "weights": dict(sorted(weights.items())),
    }


def field_training_set() -> list[Example]:
    """The field model's texts: the written field attacks and values, the tune split of the measured
    benign sources, and our template notes, shop notes and events; those it reads (2 words or more)."""
    written = [
        Example(source, json.loads(line)["text"].strip(), label)
        for source, (path, label) in FIELD_WRITTEN.items()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    measured = {e.text for e in examples()}  # a written text equal to a measured one is left out
    kept_templates = {"template-notes", "template-events", "template-shop"}
    made = [e for e in training_set() if e.source in kept_templates]
    benign = examples("tune", FIELD_BENIGN_SOURCES & TRAINABLE)
    return [
        e
        for e in benign + made + [w for w in written if w.text not in measured]
        if reads(fold(e.text), FIELD_MIN_WORDS)
    ]


def train(recipe: Recipe = GENERAL) -> dict:
    return fit_artefact(field_training_set() if recipe is FIELD else training_set(), recipe)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--field", action="store_true", help="train the field model (tools/injection_field_model.json)"
    )
    args = parser.parse_args(argv)
    recipe = FIELD if args.field else GENERAL
    artefact = train(recipe)
    recipe.path.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    size = recipe.path.stat().st_size
    print(f"wrote {recipe.path.name}: {len(artefact['weights'])} weights, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
