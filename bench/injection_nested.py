"""The injection meter's training procedure simulated on the tune split alone: nested folds
(`python -m bench.injection_nested`, needs the `train` extra).

For each of `OUTER` folds of the tune split, the whole procedure of `bench.injection_train` runs
on the other folds (threshold chosen out of fold on them, model fitted on them, templates added)
and the held fold is read as the meter reads third-party text: the patterns, then the model. The
figures per source are what a design choice is judged on; the report split is never read here.
`--blind FILE` (benign texts) and `--blind-injections FILE` also read files of texts (one a line,
`#` comments) written apart from everything trained on, with the model fitted on the whole tune split.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench import injection_train
from bench.injection_corpus import HELDOUT, SOURCES, TRAINABLE, examples
from tools.injection import fold, pattern_signals
from tools.injection_model import Model, scored

OUTER = 5


def _flags(model: Model, text: str) -> tuple[bool, bool]:
    folded = "\n" + fold(text)
    learned = scored(folded) and model.score(folded) >= model.threshold
    return bool(pattern_signals(text)), learned


def nested(*, listed: bool = False) -> dict[str, list[int]]:
    """Per source: texts, flagged by the patterns, by the model, by either (held folds)."""
    tune = examples("tune")
    made = [e for e in injection_train.training_set() if e.source not in SOURCES]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for k in range(OUTER):
        held = [e for i, e in enumerate(tune) if i % OUTER == k]
        kept = [e for i, e in enumerate(tune) if i % OUTER != k and e.source in TRAINABLE]
        training = [e for e in kept if scored(fold(e.text))] + made
        model = Model(injection_train.fit_artefact(training, verbose=False))
        for e in held:
            patterns, learned = _flags(model, e.text)
            row = counts[e.source]
            row[0] += 1
            row[1] += patterns
            row[2] += learned
            row[3] += patterns or learned
            if listed and (patterns or learned) != bool(e.label):
                print(f"  tune {'missed' if e.label else 'flagged'} [{e.source}] {e.text[:150]!r}")
        print(f"outer fold {k}: threshold {model.threshold:.4f}", flush=True)
    return counts


def _lines(path: Path) -> list[str]:
    lines = [t.strip() for t in path.read_text(encoding="utf-8").splitlines()]
    return [t for t in lines if t and not t.startswith("#")]


def blind(benign: Path | None, injections: Path | None, *, listed: bool = False) -> None:
    """Print how many texts of each file the meter, its model fitted on the whole tune split, flags."""
    model = Model(injection_train.fit_artefact(injection_train.training_set(), verbose=False))
    for path, label in ((benign, 0), (injections, 1)):
        if path is None:
            continue
        texts = _lines(path)
        flagged = [t for t in texts if any(_flags(model, t))]
        print(f"blind {'injections' if label else 'benign texts'}: {len(flagged)} of {len(texts)} flagged")
        for text in texts if listed else ():
            if (text in flagged) != bool(label):
                print(f"  {'missed' if label else 'flagged'}: {text!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind", type=Path, help="a file of benign texts kept out of everything")
    parser.add_argument("--blind-injections", type=Path, help="a file of injections kept out of everything")
    parser.add_argument(
        "--list", action="store_true", help="list the tune split's and the blind files' errors"
    )
    parser.add_argument("--no-nested", action="store_true", help="the blind files only")
    args = parser.parse_args(argv)
    if not args.no_nested:
        counts = nested(listed=args.list)
        print(f"{'source':17} {'texts':>6} {'patterns':>8} {'model':>6} {'flagged':>8} {'rate':>7}")
        for source, (label, _) in SOURCES.items():
            if source in HELDOUT:  # never here: measured by `bench.injection_eval --heldout` alone
                continue
            n, patterns, learned, either = counts[source]
            kind = "recall" if label else "false"
            print(f"{source:17} {n:6} {patterns:8} {learned:6} {either:8} {either / n:7.1%}  {kind}")
        natural = [counts[s] for s in ("bipia-text", "injecagent", "agentdojo")]
        print(f"natural-language injections: {sum(r[3] for r in natural)} of {sum(r[0] for r in natural)}")
    if args.blind or args.blind_injections:
        blind(args.blind, args.blind_injections, listed=args.list)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
