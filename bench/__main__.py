"""`python -m bench` (`nox -s bench`): every benchmark in one run, written to docs/benchmarks.md.

Figures are ratios against peers measured in the same run, medians of several rounds. Set
BENCH_QUICK=1 for a short run (fewer requests and rounds) when trying changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import broker, codegen_time, corpus_stages, decode, throughput
from bench.common import median

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
QUICK = os.environ.get("BENCH_QUICK") == "1"


def versions() -> str:
    names = [
        "aiohttp",
        "attrs",
        "cattrs",
        "pydantic",
        "datamodel-code-generator",
        "msgspec",
        "httpx",
        "openapi-python-client",
    ]
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def cpu() -> str:
    """The processor's model name where /proc/cpuinfo tells it, and the number of logical cores."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model)
    return f"{model}, {os.cpu_count()} logical cores"


def revision() -> str:
    """The commit measured, and whether src/ differed from it (tessera is installed editable)."""
    try:
        head, dirty = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain", "src")
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (" with uncommitted changes in src/" if dirty else "")


def git(*arguments: str) -> str:
    command = ["git", *arguments]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def load_average() -> str:
    """The 1-minute load average: the run shares the machine with whatever else is running."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


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


def refreshes(load: dict[str, float]) -> str:
    """Refreshes per round of 10,000 waiters: one figure when every round agrees."""
    fewest, most = load["refreshes_fewest"], load["refreshes"]
    return f"{most:.0f}" if fewest == most else f"{fewest:.0f} to {most:.0f}"


def report(results: dict[str, Any]) -> str:
    specs: list[codegen_time.SpecTimes] = results["codegen_specs"]
    both = [times for times in specs if times.tessera.error is None and times.peer.error is None]
    flow, decoding, load, cost = results["throughput"], results["decode"], results["load"], results["cost"]
    main = flow["main"]
    tessera, fast, raw, peer = (
        main["tessera"],
        main["tessera[speedups]"],
        main["raw aiohttp"],
        main["openapi-python-client"],
    )
    rows = [
        ("Throughput, 64 coroutines: tessera / raw aiohttp", f"{tessera / raw:.2f}x", ">= 0.90x"),
        ("Throughput, 64 coroutines: tessera[speedups] / raw aiohttp", f"{fast / raw:.2f}x", ">= 0.90x"),
        ("Throughput: tessera / openapi-python-client", f"{tessera / peer:.2f}x", ">= 2x"),
        (
            "Decode 1,000 documents: tessera / pydantic v2 (time)",
            f"{decoding['tessera'] / decoding['pydantic v2']:.2f}x",
            "<= 0.8x",
        ),
        (
            "Decode 1,000 documents: tessera[speedups] / pydantic v2 (time)",
            f"{decoding['tessera[speedups]'] / decoding['pydantic v2']:.2f}x",
            "<= 0.8x",
        ),
        (
            "Decode, from parsed JSON: tessera / pydantic v2 (time)",
            f"{decoding['tessera, from parsed JSON'] / decoding['pydantic v2, from parsed JSON']:.2f}x",
            "<= 0.8x",
        ),
        ("Decode: tessera / msgspec (time; the floor)", f"{decoding['tessera'] / decoding['msgspec']:.2f}x", "-"),
        ("Broker: ns per call, valid token", f"{cost['token_ns']:.0f} ns", "<= 2,000 ns"),
        ("Broker: refreshes for 10,000 waiters", refreshes(load), "1"),
        (
            "Broker: waiters' p99 - refresh round trip",
            f"{load['p99_ms'] - load['refresh_round_trip_ms']:.1f} ms",
            "<= 50 ms",
        ),
        ("Codegen, all four specs", f"{results['codegen']:.2f} s", "<= 3 s"),
        (
            "Codegen, each spec: tessera / openapi-python-client (time), median over the specs both generate",
            f"{median([times.ratio for times in both]):.2f}x" if both else "-",
            "<= 1x",
        ),
    ]
    requests, rounds = results["requests"], results["rounds"]
    lines = [
        "# Benchmarks",
        "",
        "Produced by `nox -s bench` (`python -m bench`); every ratio compares figures measured in the same run,",
        f"each figure a median over rounds ({rounds} of throughput, {results['decode_rounds']} of decoding, "
        "5 of the broker's, 3 of codegen).",
        "",
        f"- tessera: {revision()}",
        f"- Machine: {cpu()}, {platform.system()} {platform.release()}; load average {results['load_before']} "
        f"before the run, {results['load_after']} after",
        f"- Python {sys.version.split()[0]}; {versions()}",
        f"- Mode: {'quick (BENCH_QUICK=1)' if QUICK else 'full'}; {results['minutes']:.1f} minutes",
        "",
        "| measure | figure | goal |",
        "| --- | --- | --- |",
        *[f"| {name} | {figure} | {goal} |" for name, figure, goal in rows],
        "",
        "## Throughput",
        "",
        f"A local aiohttp.web server, in a process of its own, answers GET /api/v1/docs/ behind a bearer token "
        f"with one fixed page of 25 documents and their signers ({flow['body_bytes'] / 1000:.1f} kB, the ZapSign "
        "emulator's page 1). Each client calls it from 64 coroutines at once; the clients take turns within each "
        "round, so that a noisy moment hits all of them alike.",
        "",
        "- **tessera**: `zapsign.Client(auth=zapsign.ApiTokenAuth(...)).docs.list_docs()`, decoded into the "
        "generated attrs models, on the client's own session; bodies read by `json.loads`, as a plain "
        "`pip install tessera` reads them.",
        "- **tessera[speedups]**: the same, as installed with the `speedups` extra: bodies read by orjson "
        "(the same models and errors: tests/runtime/test_jsonbody.py).",
        "- **raw aiohttp**: `session.get(url, headers=...)`, `raise_for_status()`, `await response.json()` into "
        "dicts: the practical limit in Python. **raw aiohttp, orjson**: the same with "
        "`response.json(loads=orjson.loads)`, for the speedups' share of the difference.",
        "- **openapi-python-client**: generated by openapi-python-client (`generate --meta none`) from the same, "
        "unmodified `specs/zapsign.yaml` into a temporary folder at bench time (OpenAPI 3.1 went through without a "
        "warning), and called as its README shows: `list_docs.asyncio(client=AuthenticatedClient(...))`.",
        "- Connections: tessera's session and the raw one are both `aiohttp.ClientSession()` with aiohttp's "
        "default connector (at most 100 connections, all kept alive); the generated client's httpx pool gets the "
        "same (`httpx.Limits(max_connections=100, max_keepalive_connections=100)`): httpx's default keeps only "
        "20 alive, which would reconnect 44 of the 64 coroutines on every request.",
        f"- {requests:,} requests in all per client and round, shared by the 64 coroutines: not 20,000 per "
        "coroutine, which would be 1.28 million requests per client and round, over 20 minutes each for tessera "
        "and hours for the generated client on this machine.",
        "- CPU: seconds of CPU per second of the run, in the client's process and in the server's (1.0 is one "
        "core all the time). With two cores, the figures measure the client as long as the server stays well "
        "below one core.",
        "",
        "| client | requests/s, 64 coroutines | client CPU | server CPU |",
        "| --- | --- | --- | --- |",
        *[
            f"| {name} | {value:,.0f} | {flow['client_cpu'][name]:.2f} | {flow['server_cpu'][name]:.2f} |"
            for name, value in main.items()
        ],
        "",
        "![throughput against concurrency](throughput.png)",
        "",
        f"Requests per second against concurrency ({results['sweep_requests']:,} requests per point and round, "
        f"medians of {rounds} rounds; above 100 coroutines every client queues for its 100 connections):",
        "",
        "| concurrency | " + " | ".join(main) + " |",
        "| --- | " + " | ".join("---" for _ in main) + " |",
        *[
            f"| {level} | " + " | ".join(f"{figures[name]:,.0f}" for name in main) + " |"
            for level, figures in sorted(flow["sweep"].items())
        ],
        "",
        f"## Decode ({decoding['bytes'] / 1e6:.1f} MB page of 1,000 documents, ms, medians)",
        "",
        "From the bytes of the body to models, as each library reads a response: tessera's codec "
        "(`json.loads`, then its compiled structuring functions; with the `speedups` extra orjson reads the "
        "bytes); the pydantic v2 models that "
        "datamodel-code-generator's default output makes of `specs/zapsign.yaml` at bench time, "
        "`DocList.model_validate_json(body)`; msgspec Structs written in `bench/decode.py` for the same shape "
        "(the same date-times, enums and required fields), `msgspec.json.Decoder(DocList).decode(body)`, the floor.",
        'The rows "from parsed JSON" start from `json.loads(body)` already done: tessera\'s `Codec.structure`, '
        "pydantic's `DocList.model_validate(data)`, `msgspec.convert(data, DocList)`: the structuring alone, where "
        "the issue compares cattrs with pydantic. From the bytes, tessera pays the standard library's `json.loads` "
        "(its own row), pydantic and msgspec their own parsers in Rust and C.",
        "",
        "| decoder | ms |",
        "| --- | --- |",
        *[f"| {name} | {value:.2f} |" for name, value in decoding.items() if name != "bytes"],
        "",
        "## Broker",
        "",
        f"- 10,000 coroutines on an expired token: {refreshes(load)} refresh per round; refresh round trip "
        f"{load['refresh_round_trip_ms']:.2f} ms; waiters p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms; "
        f"peer (10,000 coroutines on one asyncio.Event set after the same round trip): p50 "
        f"{load['floor_p50_ms']:.1f} ms, p99 {load['floor_p99_ms']:.1f} ms; the floor (10,000 coroutines on a "
        f"future each, all set by one callback after the same round trip: the least a wait costs that one "
        f"cancelled waiter cannot break for the others): p50 {load['futures_p50_ms']:.1f} ms, p99 "
        f"{load['futures_p99_ms']:.1f} ms. Each figure is the median over 5 rounds of one renewal each.",
        "- A waiter's latency runs from its own call: the first waiters' includes the loop starting the "
        "9,999 others before the refresh's answer can be read, the last ones' resuming those woken before them.",
        f"- A valid token: {cost['token_ns']:.0f} ns per call; awaiting a coroutine that returns a constant: "
        f"{cost['floor_ns']:.0f} ns (ratio {cost['ratio']:.2f}).",
        "",
        "## Codegen",
        "",
        "`python -m codegen --out <a temporary folder>` for the four specs, wall time of the whole command "
        "(the interpreter's start and the imports included), median of 3.",
        "",
        "Each spec alone, as published, from a folder holding only it: `python -m codegen` against "
        "`openapi-python-client generate --meta none`, each a fresh interpreter (its start and imports "
        "included) that formats what it writes; medians of 3. A generator that refuses a spec is timed to "
        "its refusal, and its last error line is shown.",
        "",
        "| spec | tessera | openapi-python-client | ratio (time) |",
        "| --- | --- | --- | --- |",
        *[
            f"| {times.spec} | {timing(times.tessera)} | {timing(times.peer)} | "
            + (f"{times.ratio:.2f}x |" if times.tessera.error is None and times.peer.error is None else "- |")
            for times in specs
        ],
        "",
        "## The corpus through each generator",
        "",
        "Each spec of tests/codegen/corpus/ as published: does it generate, does every generated module import "
        "(tessera's against this checkout's runtime), and `mypy --strict` on the generated package "
        "(bench/corpus_stages.py). tests/codegen/test_corpus.py also calls tessera's clients against a server.",
        "",
        "| spec | tessera (generates, imports, mypy) | openapi-python-client (generates, imports, mypy) |",
        "| --- | --- | --- |",
        *[
            f"| {name} | {', '.join(by['tessera'].cells())} | {', '.join(by['openapi-python-client'].cells())} |"
            for name, by in results["corpus"].items()
        ],
        "",
    ]
    return "\n".join(lines)


def timing(figure: codegen_time.Timing) -> str:
    seconds = f"{figure.seconds:.2f} s"
    return seconds if figure.error is None else f"{seconds}, refused: `{figure.error.replace('|', '/')}`"


def main() -> None:
    requests, rounds, sweep = (4_000, 1, 500) if QUICK else (20_000, 3, 1_000)
    begun = time.perf_counter()
    results: dict[str, Any] = {
        "requests": requests,
        "rounds": rounds,
        "sweep_requests": sweep,
        "load_before": load_average(),
    }
    print("throughput ...", flush=True)
    results["throughput"] = throughput.run(
        requests=requests, rounds=rounds, sweep_requests=sweep, progress=lambda line: print(line, flush=True)
    )
    print("decode ...", flush=True)
    results["decode_rounds"] = 3 if QUICK else 7
    results["decode"] = decode.run(rounds=results["decode_rounds"])
    print("broker ...", flush=True)
    results["load"] = asyncio.run(broker.renewal_under_load())
    results["cost"] = asyncio.run(broker.valid_token_cost())
    print("codegen ...", flush=True)
    results["codegen"] = codegen_time.all_four(rounds=3)
    results["codegen_specs"] = codegen_time.run(rounds=1 if QUICK else 3)
    print("corpus ...", flush=True)
    results["corpus"] = corpus_stages.run()
    results["load_after"], results["minutes"] = load_average(), (time.perf_counter() - begun) / 60
    DOCS.mkdir(exist_ok=True)
    plot(results["throughput"]["sweep"], DOCS / "throughput.png")
    text = report(results)
    (DOCS / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
