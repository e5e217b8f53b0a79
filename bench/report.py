"""The turn bench's printed table: one row per backend and system, then ratios and targets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HEADER = (
    f"{'backend':<9}{'system':<7}{'ovh t2 p50/p99':>17}{'ovh tN p50/p99':>17}{'growth':>8}"
    f"{'whole t2/tN p50':>18}{'model t2/tN p50':>17}{'tool HTTP p50':>15}{'loop CPU t2/tN':>16}{'calls':>7}{'checkpoint':>22}"
)


def size(n: float) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.2f} MB"
    if n >= 1000:
        return f"{n / 1000:.1f} kB"
    return f"{n:.0f} B"


def pair(a: float, b: float) -> str:
    return f"{a:.1f} / {b:.1f}"


def row(backend: str, system: str, f: Mapping[str, Any]) -> str:
    first, last = f["turn_2"], f["turn_n"]
    rows = sum(f["checkpoint_rows"].values())
    plural = "row)" if rows == 1 else "rows)"
    return (
        f"{backend:<9}{system:<7}"
        f"{pair(first['overhead_p50'], first['overhead_p99']):>17}"
        f"{pair(last['overhead_p50'], last['overhead_p99']):>17}"
        f"{f['growth']:>7.2f}x"
        f"{pair(first['whole_p50'], last['whole_p50']):>18}"
        f"{pair(first['model_p50'], last['model_p50']):>17}"
        f"{last['tools_p50']:>15.1f}"
        f"{pair(first['cpu_p50'], last['cpu_p50']):>16}"
        f"{f['model_calls_per_turn']:>7.1f}"
        f"  {size(f['checkpoint_bytes']) + f' ({rows} {plural}':>20}"
    )


def target_line(backend: str, t: Mapping[str, Any]) -> str:
    unit = t["unit"]
    if unit == "B":
        figure, limit = size(t["figure"]), size(t["limit"])
    elif unit == "x":
        figure, limit = f"{t['figure']:.2f}x", f"{t['limit']:.1f}x"
    else:
        figure, limit = f"{t['figure']:.1f} {unit}", f"{t['limit']:.0f} {unit}"
    status = "MET" if t["met"] else "NOT MET"
    return f"  [{backend}] {t['name']} <= {limit}: {status} ({figure})"


def report(figures: Mapping[str, Any]) -> str:
    """The whole printout for `run()`'s figures."""
    n = figures["turns"]
    lines = [
        f"turn overhead: {n} turns on one thread per system; sandbox model at 0 ms; ms unless noted",
        f"overhead = whole turn - model HTTP time; t2 = turns 2-{min(11, n)}, tN = last {min(10, n - 1)} turns",
        "loop CPU = CPU time of the event-loop thread in the turn (model client work included)",
        "checkpoint = payload bytes of the thread's checkpoint rows after the run (Postgres: as stored)",
        "",
        HEADER,
    ]
    backends: Mapping[str, Any] = figures["backends"]
    for backend, b in backends.items():
        lines += [row(backend, "ours", b["ours"]), row(backend, "bare", b["bare"])]
    lines.append("")
    for backend, b in backends.items():
        r = b["ratio"]
        lines.append(
            f"ratio ours/bare [{backend}]: overhead p50 turn 2 {r['turn_2']:.2f}x, turn {n} "
            f"{r['turn_n']:.2f}x; checkpoint bytes {r['checkpoint_bytes']:.3g}x"
        )
    load = figures["load_1min"]
    lines += [
        "",
        f"load average (1 min) {load['before']:.2f} before the run, {load['after']:.2f} after it "
        "(the bench's own threads included); other work on the machine shows in p99 first",
        "",
        "targets (ours):",
    ]
    for backend, b in backends.items():
        lines += [target_line(backend, t) for t in b["targets"]]
    return "\n".join(lines)
