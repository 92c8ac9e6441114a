#!/usr/bin/env python
"""Benchmark of the art. 278 tally (not part of make test).

    python bench/deliberation.py [--dwellings 10000] [--repeat 5]

Builds a compound of N dwellings in memory (areas 45.00–180.99 m² as decimal strings, 5% of owners
holding two or three dwellings, 3% developer-held, 80% of owners voting), writes it as an exported
record, and times:

- ``tally``: the exact tally (``jishiyu.deliberation.tally.tally``, Fractions) on parsed entries;
- ``tally_vote file``: the whole recount from the JSON text (parse + check + tally), what
  ``manage.py tally_vote`` does without Django's start-up;
- baseline, in the same run: a naive float tally over the same data (sums of floats, no checks) —
  the cheapest possible count, to show what exactness costs.

Goal: the exact tally of 10,000 dwellings under 1 s. The float baseline's sums are also compared with the
exact ones, to show the drift floats bring.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from jishiyu.deliberation.tally import record_parse, record_tally_text, tally  # noqa: E402


def build_record(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    dwellings, owner = [], 0
    while len(dwellings) < n:
        owner += 1
        if rng.random() < 0.03:
            oid = "o-dev"
            count = 1
        else:
            oid = f"o-{owner}"
            count = rng.choice([2, 3]) if rng.random() < 0.05 else 1
        for _ in range(count):
            if len(dwellings) < n:
                area = f"{rng.randint(45, 180)}.{rng.randint(0, 99):02d}"
                dwellings.append(
                    {"id": f"{len(dwellings) // 200 + 1}-1-{len(dwellings) % 200 + 101}", "area": area, "owner": oid}
                )
    owners = sorted({d["owner"] for d in dwellings})
    ballots = [
        {"owner": o, "choice": rng.choices(["for", "against", "abstain"], [70, 20, 10])[0]}
        for o in owners
        if rng.random() < 0.8
    ]
    return {"matter": 7, "dwellings": dwellings, "ballots": ballots}


def naive_float(record: dict) -> dict:
    area = {}
    for d in record["dwellings"]:
        area[d["owner"]] = area.get(d["owner"], 0.0) + float(d["area"])
    total = sum(area.values())
    voted = sum(area[b["owner"]] for b in record["ballots"])
    yes = sum(area[b["owner"]] for b in record["ballots"] if b["choice"] == "for")
    n_yes = sum(1 for b in record["ballots"] if b["choice"] == "for")
    return {
        "participation_area": voted / total,
        "participation_owners": len(record["ballots"]) / len(area),
        "approve_area": yes / voted,
        "approve_owners": n_yes / len(record["ballots"]),
        "total": total,
    }


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dwellings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    record = build_record(args.dwellings)
    text = json.dumps(record)
    matter, dwellings, ballots = record_parse(json.loads(text))
    exact = tally(matter, dwellings, ballots)
    t_tally = best(lambda: tally(matter, dwellings, ballots), args.repeat)
    t_file = best(lambda: record_tally_text(text), args.repeat)
    t_float = best(lambda: naive_float(record), args.repeat)
    floats = naive_float(record)
    print(
        f"dwellings: {len(dwellings)}, owners: {exact.total_owners}, ballots: {len(ballots)}, "
        f"record: {len(text) / 1e6:.1f} MB"
    )
    print(
        f"exact tally (Fractions):             {t_tally * 1000:8.1f} ms   goal < 1000 ms: "
        f"{'met' if t_tally < 1 else 'NOT met'}"
    )
    print(f"tally_vote from the JSON text:       {t_file * 1000:8.1f} ms")
    print(f"baseline: naive float tally:         {t_float * 1000:8.1f} ms   (x{t_tally / t_float:.1f} for exactness)")
    print(f"result: {json.dumps(exact.as_json())}")
    drift = abs(float(exact.total_area) - floats["total"])
    print(f"float total area drift: {drift:.3e} m² (exact {exact.total_area.numerator}/{exact.total_area.denominator})")


if __name__ == "__main__":
    main()
