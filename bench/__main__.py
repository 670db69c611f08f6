"""`python -m bench` (`nox -s bench`): every benchmark in one run, written to docs/benchmarks.md.

Figures are ratios against peers measured in the same run, medians of several rounds. Set
BENCH_QUICK=1 for a short run (fewer requests and rounds) when trying changes.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import broker, codegen_time, decode, throughput

DOCS = Path(__file__).parents[1] / "docs"
QUICK = os.environ.get("BENCH_QUICK") == "1"


def versions() -> str:
    names = ["aiohttp", "attrs", "cattrs", "pydantic", "msgspec", "httpx", "openapi-python-client"]
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def plot(sweep: dict[int, dict[str, float]], path: Path) -> None:
    import matplotlib  # noqa: PLC0415 - only the bench session installs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    levels = sorted(sweep)
    figure, axes = plt.subplots(figsize=(7, 4))
    for client in next(iter(sweep.values())):
        axes.plot(levels, [sweep[level][client] for level in levels], marker="o", label=client)
    axes.set_xscale("log", base=2)
    axes.set_xticks(levels, [str(level) for level in levels])
    axes.set_xlabel("concurrent coroutines")
    axes.set_ylabel("requests per second")
    axes.set_title("GET /docs/ (25 documents with signers), one client process")
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def report(results: dict[str, Any]) -> str:
    main, decoding, load, cost = results["throughput"]["main"], results["decode"], results["load"], results["cost"]
    tessera, raw, peer = main["tessera"], main["raw aiohttp"], main["openapi-python-client"]
    rows = [
        ("Throughput, 64 coroutines: tessera / raw aiohttp", f"{tessera / raw:.2f}x", ">= 0.90x"),
        ("Throughput: tessera / openapi-python-client", f"{tessera / peer:.2f}x", ">= 2x"),
        (
            "Decode 1,000 documents: tessera / pydantic v2 (time)",
            f"{decoding['tessera'] / decoding['pydantic v2']:.2f}x",
            "<= 0.8x",
        ),
        ("Decode: tessera / msgspec (time; the floor)", f"{decoding['tessera'] / decoding['msgspec']:.2f}x", "-"),
        ("Broker: ns per call, valid token", f"{cost['token_ns']:.0f} ns", "<= 2,000 ns"),
        ("Broker: refreshes for 10,000 waiters", f"{load['refreshes']:.0f}", "1"),
        (
            "Broker: waiters' p99 - refresh round trip",
            f"{load['p99_ms'] - load['refresh_round_trip_ms']:.1f} ms",
            "<= 50 ms",
        ),
        ("Codegen, all four specs", f"{results['codegen']:.2f} s", "<= 3 s"),
    ]
    lines = [
        "# Benchmarks",
        "",
        "Produced by `nox -s bench` (`python -m bench`); every ratio compares figures measured in the same run.",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {sys.version.split()[0]}; {versions()}",
        f"- Mode: {'quick' if QUICK else 'full'}",
        "",
        "| measure | figure | goal |",
        "| --- | --- | --- |",
        *[f"| {name} | {figure} | {goal} |" for name, figure, goal in rows],
        "",
        "## Throughput (requests per second, medians)",
        "",
        "| client | 64 coroutines |",
        "| --- | --- |",
        *[f"| {name} | {value:,.0f} |" for name, value in main.items()],
        "",
        "![throughput against concurrency](throughput.png)",
        "",
        "| concurrency | " + " | ".join(main) + " |",
        "| --- | " + " | ".join("---" for _ in main) + " |",
        *[
            f"| {level} | " + " | ".join(f"{figures[name]:,.0f}" for name in main) + " |"
            for level, figures in sorted(results["throughput"]["sweep"].items())
        ],
        "",
        f"## Decode ({decoding['bytes'] / 1e6:.1f} MB page of 1,000 documents, ms, medians)",
        "",
        "| decoder | ms |",
        "| --- | --- |",
        *[f"| {name} | {value:.2f} |" for name, value in decoding.items() if name != "bytes"],
        "",
        "## Broker",
        "",
        f"- 10,000 coroutines on an expired token: {load['refreshes']:.0f} refresh; refresh round trip "
        f"{load['refresh_round_trip_ms']:.2f} ms; waiters p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms; "
        f"peer (10,000 coroutines on one asyncio.Event set after the same round trip): p50 "
        f"{load['floor_p50_ms']:.1f} ms, p99 {load['floor_p99_ms']:.1f} ms.",
        f"- A valid token: {cost['token_ns']:.0f} ns per call; awaiting a coroutine that returns a constant: "
        f"{cost['floor_ns']:.0f} ns (ratio {cost['ratio']:.2f}).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    requests, rounds, sweep = (4_000, 1, 1_000) if QUICK else (20_000, 3, 4_000)
    results: dict[str, Any] = {}
    print("throughput ...", flush=True)
    results["throughput"] = throughput.run(requests=requests, rounds=rounds, sweep_requests=sweep)
    print("decode ...", flush=True)
    results["decode"] = decode.run(rounds=3 if QUICK else 7)
    print("broker ...", flush=True)
    results["load"] = asyncio.run(broker.renewal_under_load())
    results["cost"] = asyncio.run(broker.valid_token_cost())
    print("codegen ...", flush=True)
    results["codegen"] = codegen_time.run(rounds=3)
    DOCS.mkdir(exist_ok=True)
    plot(results["throughput"]["sweep"], DOCS / "throughput.png")
    text = report(results)
    (DOCS / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
