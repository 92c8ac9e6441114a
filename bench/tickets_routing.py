"""Routing benchmark (not part of make test): learned suggestion per ticket, point-in-polygon place lookup
and duplicate text scoring, each beside a baseline measured in the same run (a bare jieba segmentation).

    .venv/bin/python bench/tickets_routing.py [--samples 20000] [--grids 400]

Goal (issue 3): routing suggestion under 5 ms per ticket."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from jishiyu.tickets import duplicates, geo, suggest  # noqa: E402

WORDS = {
    "lamp": ["路灯", "不亮", "灯杆", "闪烁", "晚上", "很黑"],
    "rubbish": ["垃圾", "清运", "堆放", "发臭", "垃圾桶", "满了"],
    "noise": ["施工", "噪音", "夜间", "扰民", "打桩", "工地"],
    "parking": ["停车", "占道", "乱停", "车辆", "消防通道", "堵塞"],
    "water": ["漏水", "水管", "爆裂", "停水", "水压", "楼道"],
}


def timed(fn, n: int) -> list[float]:
    for _ in range(20):  # warm up
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def show(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{name:<46} median {statistics.median(ms):6.3f} ms   p95 {p95:6.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--grids", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(7)
    handlers = [f"region:{i}" for i in range(60)] + [f"org:{i}" for i in range(15)]
    topic_of = {h: rng.choice(list(WORDS)) for h in handlers}
    samples = []
    for _ in range(args.samples):
        h = rng.choice(handlers)
        text = "".join(rng.sample(WORDS[topic_of[h]], 3)) + "，请尽快处理"
        samples.append(suggest.Sample(text, rng.randint(1, 40), int(h.split(":")[1]) + 1000, h))
    t = time.perf_counter()
    trained = suggest.fit(samples)
    elapsed = time.perf_counter() - t
    print(f"training on {args.samples} decisions: {elapsed:.1f} s, held-out accuracy {trained.accuracy:.3f}")
    texts = ["小区门口路灯晚上不亮", "楼下垃圾桶满了没人清运", "工地夜间施工噪音扰民"]
    show("baseline: jieba segmentation only", timed(lambda: suggest.tokens(rng.choice(texts)), 2000))
    show(
        "suggestion per ticket (segment+tfidf+predict)",
        timed(lambda: suggest.predict(trained, text=rng.choice(texts), category_id=3, place_id=1005), 2000),
    )
    # A district of grids as 0.01° squares in a 20×20 layout.
    index = geo.AreaIndex.__new__(geo.AreaIndex)
    index.districts = []
    index.areas = []
    side = int(args.grids**0.5)
    for i in range(args.grids):
        x, y = 118.6 + (i % side) * 0.01, 31.8 + (i // side) * 0.01
        ring = [(x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01), (x, y)]
        index.areas.append(geo.Area(i, "grid", f"/1/{i}/", (x, y, x + 0.01, y + 0.01), [[ring]]))
    show(
        f"point → grid among {args.grids} outlines",
        timed(lambda: index.locate(118.6 + rng.random() * 0.01 * side, 31.8 + rng.random() * 0.01 * side), 5000),
    )
    show(
        "duplicate text score (two contents)",
        timed(lambda: duplicates.similarity(rng.choice(texts), rng.choice(texts)), 2000),
    )
    # What a duplicate check now pays per candidate: the candidates' words are stored (Ticket.words).
    stored = [duplicates.words(t) for t in texts]
    show(
        "duplicate score per candidate (stored words)",
        timed(lambda: duplicates.words_similarity(rng.choice(stored), rng.choice(stored)), 2000),
    )


if __name__ == "__main__":
    main()
