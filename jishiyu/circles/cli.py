"""The analyst's command (分析命令), without the web app:

    python -m jishiyu.circles analyse --pbf FILE --residences residences.csv --facilities facilities.csv --out DIR
        [--thresholds 300,500,1000] [--max-snap 500]

residences.csv: ``id,lon,lat[,people]`` (people defaults to 1); facilities.csv: ``id,category,lon,lat``.
Writes DIR/distances.csv (``residence_id,category,metres``; empty only when no path exists) and
DIR/summary.json. Bad input gets a message naming the file and row, and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jishiyu.circles.network import DEFAULT_THRESHOLDS, CategoryCoverage, Network, NetworkError, coverage

MAX_SNAP_METRES = 500.0  # a facility farther than this from every network node is refused


class InputError(ValueError):
    """Bad input naming the file and row (输入错误)."""


@dataclass
class Points:
    ids: list[str]
    lon: np.ndarray
    lat: np.ndarray
    lines: list[int]
    people: np.ndarray | None = None
    categories: list[str] | None = None


def _coordinate(value: str | None, name: str, low: float, high: float, where: str) -> float:
    text = (value or "").strip()
    if not text:
        raise InputError(f"{where}: no coordinates ({name} is empty)")
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"{where}: {name} {text!r} is not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise InputError(f"{where}: {name} {text!r} is out of range [{low:g}, {high:g}]")
    return number


def _open_rows(path: Path, required: Sequence[str]) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"{path} line 1: missing column(s) {', '.join(missing)} (header: {','.join(header)})")
            rows = [(reader.line_num, dict(row)) for row in reader]
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 CSV file") from None
    return rows, header


def read_residences(path: Path) -> Points:
    """Residences ``id,lon,lat[,people]``."""
    rows, header = _open_rows(path, ["id", "lon", "lat"])
    ids: list[str] = []
    lon: list[float] = []
    lat: list[float] = []
    people: list[int] = []
    lines: list[int] = []
    seen: set[str] = set()
    for line, row in rows:
        rid = (row.get("id") or "").strip()
        where = f"{path.name} line {line} (id {rid!r})"
        if not rid:
            raise InputError(f"{path.name} line {line}: the id is empty")
        if rid in seen:
            raise InputError(f"{where}: the id appears twice")
        seen.add(rid)
        lon.append(_coordinate(row.get("lon"), "lon", -180, 180, where))
        lat.append(_coordinate(row.get("lat"), "lat", -90, 90, where))
        text = (row.get("people") or "").strip() if "people" in header else ""
        if text:
            try:
                count = int(text)
            except ValueError:
                raise InputError(f"{where}: people {text!r} is not a whole number") from None
            if count < 0:
                raise InputError(f"{where}: people {text!r} is negative")
        else:
            count = 1
        ids.append(rid)
        people.append(count)
        lines.append(line)
    if not ids:
        raise InputError(f"{path.name}: no residences")
    return Points(ids, np.array(lon), np.array(lat), lines, people=np.array(people, dtype=np.int64))


def read_facilities(path: Path) -> Points:
    """Facilities ``id,category,lon,lat``."""
    rows, _ = _open_rows(path, ["id", "category", "lon", "lat"])
    ids: list[str] = []
    lon: list[float] = []
    lat: list[float] = []
    cats: list[str] = []
    lines: list[int] = []
    for line, row in rows:
        fid = (row.get("id") or "").strip()
        where = f"{path.name} line {line} (id {fid!r})"
        category = (row.get("category") or "").strip()
        if not category:
            raise InputError(f"{where}: the category is empty")
        lon.append(_coordinate(row.get("lon"), "lon", -180, 180, where))
        lat.append(_coordinate(row.get("lat"), "lat", -90, 90, where))
        ids.append(fid)
        cats.append(category)
        lines.append(line)
    if not ids:
        raise InputError(f"{path.name}: no facilities")
    return Points(ids, np.array(lon), np.array(lat), lines, categories=cats)


def parse_thresholds(text: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(f"--thresholds {text!r}: give metres separated by commas, e.g. 300,500,1000") from None
    if not values or any(not math.isfinite(v) or v <= 0 for v in values):
        raise InputError(f"--thresholds {text!r}: give positive metres separated by commas")
    return sorted(set(values))


def _label(t: float) -> str:
    return str(int(t)) if float(t).is_integer() else repr(t)


def _csv_field(text: str) -> str:
    """A field as csv.writer would write it (quoted only when it holds a comma, a quote or a line break)."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_distances(path: Path, ids: list[str], result: dict[str, CategoryCoverage]) -> None:
    """distances.csv, a row per residence and category; formatted in bulk (a million rows: about 1 s of CPU,
    where csv.writer row by row took 4 s)."""
    quoted = [_csv_field(rid) for rid in ids]
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write("residence_id,category,metres\r\n")
        for category, cov in result.items():
            label = _csv_field(category)
            fh.write(
                "".join(
                    f"{rid},{label},{metres:.3f}\r\n" if metres != math.inf else f"{rid},{label},\r\n"
                    for rid, metres in zip(quoted, cov.metres.tolist(), strict=True)
                )
            )


def analyse(
    network: Network,
    residences: Points,
    facilities: Points,
    out: Path,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    max_snap: float = MAX_SNAP_METRES,
    log: Callable[..., object] = print,
) -> dict[str, Any]:
    """Snap, compute, write distances.csv and summary.json; return the summary."""
    fac_nodes, fac_gap = network.snap(facilities.lon, facilities.lat)
    far = np.flatnonzero(fac_gap > max_snap)
    if len(far):
        shown = "; ".join(
            f"line {facilities.lines[i]} (id {facilities.ids[i]!r}) is {fac_gap[i]:.0f} m away" for i in far[:10]
        )
        more = f" and {len(far) - 10} more" if len(far) > 10 else ""
        raise InputError(f"facilities far off the network (more than {max_snap:g} m from any node): {shown}{more}")
    res_nodes, res_gap = network.snap(residences.lon, residences.lat)
    far_res = np.flatnonzero(res_gap > max_snap)
    for i in far_res[:10]:
        log(
            f"warning: residence line {residences.lines[i]} (id {residences.ids[i]!r}) is {res_gap[i]:.0f} m "
            "from the nearest network node",
            file=sys.stderr,
        )
    cats = facilities.categories or []
    by_category: dict[str, np.ndarray] = {}
    for category in dict.fromkeys(cats):
        by_category[category] = fac_nodes[[i for i, c in enumerate(cats) if c == category]]
    assert residences.people is not None
    result = coverage(network, res_nodes, residences.people, by_category, thresholds)
    out.mkdir(parents=True, exist_ok=True)
    _write_distances(out / "distances.csv", residences.ids, result)
    summary = {
        "thresholds": [int(t) if float(t).is_integer() else t for t in thresholds],
        "categories": {
            category: {"people": cov.people, "covered": {_label(t): cov.covered[float(t)] for t in thresholds}}
            for category, cov in result.items()
        },
    }
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jishiyu.circles", description="Life-circle coverage (幸福圈)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("analyse", help="walking distance from residences to facilities on an OSM extract")
    p.add_argument("--pbf", required=True, help="OpenStreetMap extract (.osm.pbf)")
    p.add_argument("--residences", required=True, type=Path, help="CSV id,lon,lat[,people]")
    p.add_argument("--facilities", required=True, type=Path, help="CSV id,category,lon,lat")
    p.add_argument("--out", required=True, type=Path, help="output directory")
    p.add_argument(
        "--thresholds", default=",".join(str(t) for t in DEFAULT_THRESHOLDS), help="metres, e.g. 300,500,1000"
    )
    p.add_argument("--max-snap", type=float, default=MAX_SNAP_METRES, help="refuse facilities farther from the network")
    args = parser.parse_args(argv)
    from jishiyu.circles.osm import read_walking_network

    try:
        thresholds = parse_thresholds(args.thresholds)
        residences = read_residences(args.residences)
        facilities = read_facilities(args.facilities)
        started = time.perf_counter()
        network = read_walking_network(args.pbf)
        built = time.perf_counter()
        print(f"network: {network.n} nodes, {network.edge_count} edges ({built - started:.2f} s)", file=sys.stderr)
        analyse(network, residences, facilities, args.out, thresholds, args.max_snap)
        print(
            f"wrote {args.out / 'distances.csv'} and {args.out / 'summary.json'} ({time.perf_counter() - built:.2f} s)",
            file=sys.stderr,
        )
    except (InputError, NetworkError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
