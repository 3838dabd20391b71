"""A differential test of what LangGraph's Python SDK (langgraph_sdk 0.4.5) sees: the same flows against Graphloop's
`serve` and against the JS reference server (`langgraphjs dev`, @langchain/langgraph-api 1.5.1) on the same graphs
(io.graphloop.server.SdkGraphs and src/test/reference/src/graphs.mjs: echo, slow, hitl, boom, nested). Run by
io.graphloop.server.SdkDifferentialIT.

Usage: python sdk_diff.py OURS_URL REFERENCE_URL KNOWN_DIFFERENCES_JSON [FLOW ...]

Each flow records every SDK answer (a value, a stream's events as [event, data], or an error as its status and body
keys). The records are normalized (flows.normalize: uuids and other generated ids become <id:N> numbered by first
appearance in the flow, timestamps <ts>, interrupt ids <interrupt-id>, streamed task ids in namespaces <task>) and
compared key by key. Every difference is printed; one not matched by an entry of KNOWN_DIFFERENCES_JSON (a flow, a
regular expression over "step $.path: ...", and the reason, which src/docs/server-differences.md explains) fails the
run: exit 1. Prints "flow <name>: same" or "flow <name>: N listed differences" per flow.
"""
import asyncio
import json
import os
import re
import sys

import flows

OURS, REFERENCE, KNOWN = sys.argv[1], sys.argv[2], sys.argv[3]
ONLY = set(sys.argv[4:])


def diff(a, b, path, out):
    """Appends "path: ours X, reference Y" lines for every difference of a (ours) and b (the reference)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            sub = f"{path}.{key}"
            if key not in b:
                out.append(f"{sub}: only ours ({short(a[key])})")
            elif key not in a:
                out.append(f"{sub}: only the reference ({short(b[key])})")
            else:
                diff(a[key], b[key], sub, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length ours {len(a)}, reference {len(b)}")
        for i in range(min(len(a), len(b))):
            diff(a[i], b[i], f"{path}[{i}]", out)
    elif a != b or type(a) is not type(b):
        out.append(f"{path}: ours {short(a)}, reference {short(b)}")


def short(value):
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 300 else text[:300] + "..."


async def main():
    with open(KNOWN) as f:
        known = json.load(f)["differences"]
    used = set()
    unlisted = 0
    for name, flow in flows.FLOWS:
        if ONLY and name not in ONLY:
            continue
        ours = await flows.record(OURS, flow)
        theirs = await flows.record(REFERENCE, flow)
        found = []
        if os.environ.get("SDK_DIFF_DUMP"):
            with open(os.path.join(os.environ["SDK_DIFF_DUMP"], name + ".json"), "w") as f:
                json.dump({"ours": ours, "reference": theirs}, f, indent=1, sort_keys=True)
        steps_a = dict(ours)
        steps_b = dict(theirs)
        order = [s for s, _ in ours] + [s for s, _ in theirs if s not in steps_a]
        for step in order:
            if step not in steps_b:
                found.append(f"{step}: only ours")
            elif step not in steps_a:
                found.append(f"{step}: only the reference")
            else:
                lines = []
                diff(steps_a[step], steps_b[step], "$", lines)
                found.extend(f"{step} {line}" for line in lines)
        listed = 0
        for line in found:
            match = next((i for i, k in enumerate(known)
                          if k["flow"] in (name, "*") and re.search(k["match"], line)), None)
            if match is None:
                unlisted += 1
                print(f"DIFFERENT {name}: {line}")
            else:
                used.add(match)
                listed += 1
                print(f"listed {name}: {line}  [{known[match]['reason']}]")
        print(f"flow {name}: " + ("same" if not found else f"{listed} listed, {len(found) - listed} unlisted"
                                  + " differences"), flush=True)
    if not ONLY:
        for i, k in enumerate(known):
            if i not in used:
                print(f"unused known difference: {k}")
    print(f"unlisted differences: {unlisted}")
    sys.exit(1 if unlisted else 0)


asyncio.run(main())
