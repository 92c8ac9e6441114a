#!/usr/bin/env python
"""Benchmark of the gazetteer (地名地址解析, not part of make test): how fast and how well a free-text
address resolves to its place and dwelling, beside a baseline measured in the same run.

    python bench/gazetteer.py [--residents 3000] [--addresses 2000] [--extra-compounds 2000]

Builds the demo district (9 streets, 43 communities, their compounds, buildings, entrances and
dwellings) in a temporary SQLite file, adds ``--extra-compounds`` more compounds with generated names
under its communities (a district's real count; every one a candidate the fuzzy match must rule out),
then, in process:

  * index: building the name index from the region tree (what a process does on its first address
    and after a region change);
  * baseline: ``normalise`` and ``split_unit`` only — the regexes every address goes through, no
    segmentation or matching;
  * resolve, for ``--addresses`` dwellings drawn at random, each written three ways: the full form
    (区街道社区小区3栋2单元501), the short form a caller gives (小区3-2-501), and a sloppy one with a
    typo in the community's name and 幢/室 (…3幢2单元501室).

For each: p50 and p95 in ms, and the share of addresses resolved to exactly the dwelling they were
written from. Intake resolves an address once per ticket, in the background analysis or on a staff
member's request; this says what that costs.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# A plausible slip of the pen or the keyboard for characters common in community names.
PREFIXES = "金银翠雨龙凤春秋碧锦华阳明嘉和瑞祥福德安"
MIDDLES = "江湖山水林岸湾景都庭府泉溪"
SUFFIXES = ("花园", "家园", "小区", "新村", "雅苑", "名邸", "公寓", "华庭")
TYPOS = {"园": "圆", "林": "材", "花": "华", "新": "心", "山": "三", "桥": "乔", "村": "材", "城": "成"}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(fn: Callable[[str], Any], texts: list[str]) -> tuple[list[float], list[Any]]:
    times, results = [], []
    for text in texts:
        started = time.perf_counter()
        results.append(fn(text))
        times.append((time.perf_counter() - started) * 1000)
    return times, results


def typo(name: str) -> str:
    for i, char in enumerate(name):
        if char in TYPOS:
            return name[:i] + TYPOS[char] + name[i + 1 :]
    return name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=3000)
    parser.add_argument("--addresses", type=int, default=2000)
    parser.add_argument("--extra-compounds", type=int, default=2000)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="bench-gazetteer-")
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp.name}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "HUEY_IMMEDIATE": "1",
            "HUEY_FILE": f"{tmp.name}/huey.sqlite3",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo_district", residents=args.residents, seed=7, stdout=io.StringIO())

    from jishiyu.regions import gazetteer
    from jishiyu.regions.models import Dwelling, Region
    from jishiyu.regions.services import region_create

    rng = random.Random(7)
    communities = list(Region.objects.filter(kind="community"))
    taken = set(Region.objects.filter(kind="compound").values_list("name", flat=True))
    generated = [a + b + c for a in PREFIXES for b in MIDDLES for c in SUFFIXES]
    rng.shuffle(generated)
    for name in [n for n in generated if n not in taken][: args.extra_compounds]:
        region_create(kind="compound", name=name, parent=rng.choice(communities))

    names = dict(Region.objects.values_list("pk", "name"))
    dwellings = list(
        Dwelling.objects.select_related("building", "entrance", "building__compound", "building__community")
        .filter(entrance__isnull=False, building__compound__isnull=False)
        .order_by("pk")
    )
    picked = rng.sample(dwellings, min(args.addresses, len(dwellings)))
    forms: dict[str, list[tuple[str, int]]] = {"full": [], "short": [], "sloppy": []}
    for d in picked:
        b = d.building
        path = [names[int(p)] for p in b.compound.path.strip("/").split("/") if int(p) in names]
        unit = f"{b.number}栋{d.entrance.number}单元{d.number}"
        forms["full"].append(("".join(path) + unit, d.pk))
        forms["short"].append((f"{b.compound.name}{b.number}-{d.entrance.number}-{d.number}", d.pk))
        sloppy = "".join(path[:-2]) + typo(b.community.name) + b.compound.name
        forms["sloppy"].append((f"{sloppy}{b.number}幢{d.entrance.number}单元{d.number}室", d.pk))

    print(f"gazetteer benchmark; {os.cpu_count()} CPUs")
    typos = sum(typo(d.building.community.name) != d.building.community.name for d in picked)
    print(
        f"demo district: {len(names)} regions, {len(dwellings):,} dwellings with an entrance; "
        f"{len(picked):,} addresses per form ({typos:,} "
        "of the sloppy ones with a typo in the community's name)"
    )
    builds = []
    for _ in range(5):
        gazetteer.invalidate(local_only=True)
        started = time.perf_counter()
        gazetteer.get_index()
        builds.append((time.perf_counter() - started) * 1000)
    print(f"  name index built from the tree         median {statistics.median(builds):8.1f} ms (5 builds)")
    texts = [text for text, _ in forms["full"]]
    for text in texts[:50]:  # warm: jieba's dictionary, the index, the query plans
        gazetteer.resolve(text)
    base, _ = timed(lambda t: gazetteer.split_unit(gazetteer.normalise(t)), texts)
    p50, p95 = percentiles(base)
    print(f"  baseline: normalise + split_unit       p50 {p50:7.3f} ms   p95 {p95:7.3f} ms")
    for form, items in forms.items():
        times, results = timed(gazetteer.resolve, [text for text, _ in items])
        right = sum(1 for r, (_, pk) in zip(results, items, strict=True) if r.dwelling and r.dwelling["id"] == pk)
        p50, p95 = percentiles(times)
        example = items[0][0]
        print(
            f"  resolve, {form:<6} form                 p50 {p50:7.3f} ms   p95 {p95:7.3f} ms   "
            f"dwelling right {right / len(items):6.1%}   e.g. {example}"
        )
    tmp.cleanup()


if __name__ == "__main__":
    main()
