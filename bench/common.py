"""What every benchmark shares: timing statistics, result rows, the benchmark users, subprocesses."""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field

WARMUP = 3
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


@dataclass
class Result:
    """One line of the results table."""

    name: str
    target: str
    measured: str
    passed: bool | None  # None: reported only (no target)
    details: dict = field(default_factory=dict)

    def as_dict(self):
        return asdict(self)


def percentile(values, fraction):
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(samples_seconds):
    ms = [s * 1000 for s in samples_seconds]
    return {"median_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1), "runs": len(ms)}


def timed(fn, *, runs=RUNS, warmup=WARMUP):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return summary_ms(samples)


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_probe(module: str, *args: str, timeout: int = 1800) -> dict:
    """Run `python -m module args` in a fresh process; it prints one JSON object as its last line.

    A fresh process per probe: its peak memory is the probe's own, not the runner's.
    """
    completed = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, timeout=timeout, env=os.environ.copy()
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    return json.loads(lines[-1])


def emit(payload: dict) -> None:
    payload.setdefault("peak_rss_mb", peak_rss_mb())
    print(json.dumps(payload), flush=True)
