"""A tiny benchmark harness: interleaved rounds, medians, ratios against an anchor.

Figures are never asserted: the machines are shared and noisy. What matters is the ratio of a
portal page to its anchor measured side by side in the same run (see shared/benchmarks.md).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Measure:
    label: str
    fn: Callable[[], object]
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def interleave(measures: list[Measure], *, rounds: int, repeat: int = 1, warmup: int = 2) -> None:
    """Run every measure once per round, in turn, so drift hits them all alike."""
    for measure in measures:
        for _ in range(warmup):
            measure.fn()
    for _ in range(rounds):
        for measure in measures:
            start = time.perf_counter()
            for _ in range(repeat):
                measure.fn()
            measure.samples.append((time.perf_counter() - start) / repeat)


def report(title: str, rows: list[tuple[Measure, Measure | None, str]]) -> None:
    """Print each measure's median, its anchor's median and the throughput ratio."""
    print(f"\n## {title}")
    print(f"{'what':<52} {'median':>10} {'anchor':>10} {'ratio':>7}  target")
    for measure, anchor, target in rows:
        if anchor is None:
            print(f"{measure.label:<52} {measure.median * 1000:>8.2f}ms {'':>10} {'':>7}  {target}")
            continue
        ratio = anchor.median / measure.median
        print(
            f"{measure.label:<52} {measure.median * 1000:>8.2f}ms "
            f"{anchor.median * 1000:>8.2f}ms {ratio:>6.2f}×  {target}"
        )
