"""The gazetteer (地名地址解析): a free-text Chinese address → the deepest place it names, with a confidence.

"雨花台区板桥街道新林社区新林苑3栋2单元501" → district, street, community, compound, then building 3,
entrance 2, dwelling 501. Sloppy forms work too: "板桥新林苑3-2-501", "新林苑3幢2单元501室", missing
levels, typos. How:

1. normalise (NFKC, no spaces or punctuation, Chinese numerals before 栋/单元/室 become digits);
2. cut off the unit part with regexes (3栋2单元501, 3幢…室, 3号楼, 3-2-501, 3-501);
3. segment the place part with jieba, every region name and its short forms (板桥街道 → 板桥) added
   as user words; walk the tokens left to right, each match narrowing the context to a subtree;
   a token that matches no name exactly is matched fuzzily (rapidfuzz) against the context's
   descendants only, which keeps typos cheap and unambiguous;
4. look the building up under the deepest place, then the entrance and dwelling (one query).

The name index lives per process and is rebuilt after a region change: services drop it at once in
their own process and bump a version in the shared cache after commit, which other processes check
at most once a second. With a per-process cache (locmem, the default without REDIS_URL) the bump reaches
no other process, so there an index is also rebuilt once it is LOCAL_MAX_AGE_SECONDS old: the bound on
how long another process may resolve an old name.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jieba
from django.conf import settings
from django.core.cache import cache
from rapidfuzz import fuzz, process

from jishiyu.regions.models import Building, Dwelling, Entrance, Region

jieba.setLogLevel(logging.WARNING)

VERSION_KEY = "regions:gazetteer:version"
VERSION_CHECK_SECONDS = 1.0
LOCAL_MAX_AGE_SECONDS = 60.0
FUZZY_CUTOFF = 65.0
WORD_FREQ = 1_000_000

# Suffixes dropped to make short forms: "板桥街道" is also written "板桥".
_SUFFIXES = (
    "街道办事处",
    "社区居委会",
    "社区居民委员会",
    "村民委员会",
    "居委会",
    "村委会",
    "开发区",
    "街道",
    "社区",
    "小区",
    "网格",
    "园区",
    "区",
    "村",
    "镇",
    "乡",
)
# Tokens that say nothing about which place is meant.
_NOISE = frozenset(
    {
        "中国",
        "江苏",
        "江苏省",
        "南京",
        "南京市",
        "省",
        "市",
        "区",
        "街道",
        "社区",
        "小区",
        "网格",
        "号",
        "的",
        "附近",
        "村",
    }
)
_PUNCT = re.compile(r"[\s,，。．.、;；:：'\"“”‘’()（）\[\]【】<>《》#＃/\\|]+")
_DASHES = re.compile(r"[‐‑‒–—―－~～_]")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?=栋|幢|号楼|座|单元|室|楼)")
_UNIT = re.compile(
    r"(?P<b>[A-Za-z]?\d+[A-Za-z]?)(?:栋|幢|号楼|座|号|楼)(?:(?P<e>\d+)单元)?(?:(?P<d>\d+)(?:室|号|户)?)?"
    r"|(?P<b3>\d+)-(?P<e3>\d+)-(?P<d3>\d+)(?:室|号)?"
    r"|(?P<b2>\d+)-(?P<d2>\d+)(?:室|号)?"
    r"|(?P<e1>\d+)单元(?P<d1>\d+)(?:室|号)?"
)

# Confidence factors: each names what lowered it.
SKIPPED_LEVEL = 0.95
UNRESOLVED_AMBIGUITY = 0.6
CONFLICTING_LEVEL = 0.7
STRAY_TOKEN = 0.9
UNIT_NOT_FOUND = 0.8
PART_NOT_FOUND = 0.9


def normalise(text: str) -> str:
    """Half-width, no spaces or punctuation, dashes unified, Chinese unit numbers as digits."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _DASHES.sub("-", text)
    text = _PUNCT.sub("", text)
    return _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), text)


def _cn_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 三百零一 → 301, 五零一 → 501."""
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[char]
    return total + current


def short_forms(name: str) -> list[str]:
    """The name and the forms people write without its suffix."""
    forms = [name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return forms


def normalise_number(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().upper().removesuffix("栋").removesuffix("幢")


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int

    def is_below(self, other: Node) -> bool:
        return self.path.startswith(other.path) and self.id != other.id


@dataclass
class Match:
    text: str
    candidates: list[Node]
    score: float
    fuzzy: bool = False
    node: Node | None = None


@dataclass
class Resolution:
    region: Node | None = None
    path: list[Node] = field(default_factory=list)
    building: dict[str, Any] | None = None
    entrance: dict[str, Any] | None = None
    dwelling: dict[str, Any] | None = None
    confidence: float = 0.0
    matched: list[dict[str, Any]] = field(default_factory=list)
    building_id: int | None = None


class Index:
    """Names of every region node, their short forms, and building numbers per place."""

    def __init__(self, version: Any) -> None:
        self.version = version
        self.built_at = time.monotonic()
        self.nodes: dict[int, Node] = {}
        self.aliases: dict[str, list[tuple[Node, bool]]] = {}  # form → [(node, is full name)]
        rows = Region.objects.order_by("path").values_list("id", "name", "kind", "parent_id", "path", "depth")
        for pk, name, kind, parent_id, path, depth in rows:
            node = Node(pk, normalise(name), kind, parent_id, path, depth)
            self.nodes[pk] = node
            for i, form in enumerate(short_forms(node.name)):
                self.aliases.setdefault(form, []).append((node, i == 0))
            if kind == Region.Kind.COMPOUND and not node.name.endswith("小区"):
                self.aliases.setdefault(node.name + "小区", []).append((node, True))
        self.buildings: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
        for pk, number, name, community, grid, compound in Building.objects.values_list(
            "id", "number", "name", "community_id", "grid_id", "compound_id"
        ):
            key = normalise_number(number)
            for place in {community, grid, compound}:
                if place is not None:
                    self.buildings.setdefault((place, key), []).append((pk, number, name))
        self._choices: dict[int | None, tuple[list[str], list[Node]]] = {}
        self.fuzzy = lru_cache(maxsize=20_000)(self._fuzzy)
        _add_words(self.aliases.keys())

    def choices(self, context: Node | None) -> tuple[list[str], list[Node]]:
        """The name forms of the context's descendants (of every node when there is no context)."""
        key = context.id if context else None
        if key not in self._choices:
            forms: list[str] = []
            nodes: list[Node] = []
            for form, entries in self.aliases.items():
                for node, _full in entries:
                    if context is None or node.is_below(context):
                        forms.append(form)
                        nodes.append(node)
            self._choices[key] = (forms, nodes)
        return self._choices[key]

    def _fuzzy(self, context_id: int | None, text: str) -> tuple[Node, float] | None:
        forms, nodes = self.choices(self.nodes.get(context_id) if context_id else None)
        if not forms:
            return None
        best = process.extractOne(text, forms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        return nodes[best[2]], best[1] / 100


_tokenizer = jieba.Tokenizer()
_added_words: set[str] = set()
_lock = threading.Lock()
_state: dict[str, Any] = {"index": None, "checked": 0.0}


def _add_words(words: Any) -> None:
    for word in words:
        if word not in _added_words:
            _tokenizer.add_word(word, freq=WORD_FREQ)
            _added_words.add(word)


def invalidate(*, local_only: bool = False) -> None:
    """Forget the name index here; unless ``local_only``, tell the other processes too."""
    _state["index"] = None
    if not local_only:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, None)


def _shared_cache() -> bool:
    """Does the cache reach the other processes (Redis, memcached, database) or only this one?"""
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return not backend.endswith(("LocMemCache", "DummyCache"))


def get_index() -> Index:
    index: Index | None = _state["index"]
    now = time.monotonic()
    if index is not None and not _shared_cache() and now - index.built_at >= LOCAL_MAX_AGE_SECONDS:
        index = _state["index"] = None  # nothing would tell this process of another's change: age bounds it
    if index is not None and now - _state["checked"] < VERSION_CHECK_SECONDS:
        return index
    version = cache.get(VERSION_KEY, 0)
    _state["checked"] = now
    if index is not None and index.version == version:
        return index
    with _lock:
        index = _state["index"]
        if index is None or index.version != version:
            index = Index(version)
            _state["index"] = index
        return index


def split_unit(text: str) -> tuple[str, str | None, str | None, str | None]:
    """(place part, building, entrance, dwelling) of a normalised address."""
    m = _UNIT.search(text)
    if m is None:
        return text, None, None, None
    g = m.groupdict()
    building = g["b"] or g["b3"] or g["b2"]
    entrance = g["e"] or g["e3"] or g["e1"]
    dwelling = g["d"] or g["d3"] or g["d2"] or g["d1"]
    return text[: m.start()], building, entrance, dwelling


def _exact(index: Index, text: str, contexts: list[Node]) -> Match | None:
    entries = index.aliases.get(text)
    if not entries:
        return None
    if contexts:
        below = [(n, full) for n, full in entries if any(n.is_below(c) for c in contexts)]
        if not below:
            if all(any(c.path.startswith(n.path) for c in contexts) for n, _ in entries):
                return Match(text, [], 1.0)  # the context or one above it named again: nothing new
            return Match(text, _prefer([n for n, _ in entries], entries), CONFLICTING_LEVEL)
        entries = below
    return Match(text, _prefer([n for n, _ in entries], entries), 1.0)


def _prefer(nodes: list[Node], entries: list[tuple[Node, bool]]) -> list[Node]:
    """A full-name match beats a short form ("翠竹园" is the compound before 翠竹园社区)."""
    full = [n for n, is_full in entries if is_full]
    chosen = full or nodes
    # Among equals prefer the shallowest: it leaves room for deeper names to follow.
    top = min(n.depth for n in chosen)
    return [n for n in chosen if n.depth == top]


def _walk(index: Index, tokens: list[str]) -> tuple[list[Match], int]:
    """Match the tokens left to right; return the matches and the number of stray tokens."""
    matches: list[Match] = []
    contexts: list[Node] = []
    strays = 0
    i = 0
    while i < len(tokens):
        found: tuple[Match, int] | None = None
        for width in range(min(4, len(tokens) - i), 0, -1):
            match = _exact(index, "".join(tokens[i : i + width]), contexts)
            if match is not None:
                found = (match, width)
                break
        token = tokens[i]
        if found is None and (token in _NOISE or token.isdigit() or token == "-"):
            i += 1
            continue
        if found is None or not found[0].candidates:
            # No exact name, or only the context named again ("新林社区新林园": 新林 + 园): try fuzzily,
            # over windows wider than the exact one.
            best: tuple[Match, int] | None = None
            context_ids: list[int | None] = [c.id for c in contexts] or [None]
            for width in range(found[1] + 1 if found else 1, min(4, len(tokens) - i) + 1):
                text = "".join(tokens[i : i + width])
                if len(text) < 2:
                    continue
                for cid in context_ids:
                    hit = index.fuzzy(cid, text)
                    if hit is not None and (best is None or hit[1] > best[0].score):
                        best = (Match(text, [hit[0]], hit[1], fuzzy=True), width)
            found = best or found
        if found is None:
            strays += 1
            i += 1
            continue
        match, width = found
        i += width
        if not match.candidates:
            continue
        matches.append(match)
        contexts = match.candidates
    return matches, strays


def _finish(index: Index, matches: list[Match]) -> tuple[Node | None, float]:
    """Pick the deepest node, settle earlier ambiguous matches by it, and score the walk."""
    if not matches:
        return None, 0.0
    last = matches[-1]
    final = min(last.candidates, key=lambda n: n.id)
    confidence = 1.0 if len(last.candidates) == 1 else UNRESOLVED_AMBIGUITY
    for match in matches:
        chosen = [n for n in match.candidates if n.id == final.id or final.is_below(n)]
        match.node = chosen[0] if chosen else match.candidates[0]
        confidence *= match.score
    named = {m.node.id for m in matches if m.node is not None}
    for ancestor_id in (int(p) for p in final.path.strip("/").split("/")[:-1]):
        if ancestor_id not in named:
            confidence *= SKIPPED_LEVEL
    return final, confidence


def _find_building(index: Index, place: Node, number: str) -> tuple[int, str, str] | bool | None:
    """The building numbered so under the place; False when several match (e.g. two compounds)."""
    if place.kind not in (Region.Kind.COMMUNITY, Region.Kind.GRID, Region.Kind.COMPOUND):
        return None
    hits = index.buildings.get((place.id, normalise_number(number)), [])
    if len(hits) > 1:
        return False
    return hits[0] if hits else None


def resolve(address: str) -> Resolution:
    """解析地址: the deepest place the address names, with a confidence in [0, 1]."""
    index = get_index()
    text = normalise(address)
    place_text, b_no, e_no, d_no = split_unit(text)
    tokens = [t for t in _tokenizer.cut(place_text, HMM=False) if t]
    matches, strays = _walk(index, tokens)
    final, confidence = _finish(index, matches)
    result = Resolution()
    if final is None:
        return result
    confidence *= STRAY_TOKEN**strays
    result.region = final
    result.path = [index.nodes[int(p)] for p in final.path.strip("/").split("/") if int(p) in index.nodes]
    result.matched = [
        {
            "text": m.text,
            "region_id": m.node.id if m.node else None,
            "name": m.node.name if m.node else "",
            "kind": m.node.kind if m.node else "",
            "score": round(m.score, 3),
            "fuzzy": m.fuzzy,
        }
        for m in matches
    ]
    if b_no is not None:
        building = _find_building(index, final, b_no)
        if not isinstance(building, tuple):
            confidence *= UNIT_NOT_FOUND
        else:
            pk, number, name = building
            result.building_id = pk
            result.building = {"id": pk, "number": number, "name": name}
            result.matched.append({"text": b_no, "part": "building", "number": number})
            confidence *= _resolve_dwelling(result, pk, e_no, d_no)
    elif e_no is not None or d_no is not None:
        confidence *= UNIT_NOT_FOUND
    result.confidence = round(max(0.0, min(1.0, confidence)), 3)
    return result


def _resolve_dwelling(result: Resolution, building_id: int, e_no: str | None, d_no: str | None) -> float:
    factor = 1.0
    if d_no is not None:
        qs = Dwelling.objects.filter(building_id=building_id, number=d_no).select_related("entrance")
        if e_no is not None:
            qs = qs.filter(entrance__number=e_no)
        found = list(qs[:2])
        if len(found) == 1:
            dwelling = found[0]
            result.dwelling = {"id": dwelling.pk, "number": dwelling.number}
            result.matched.append({"text": d_no, "part": "dwelling", "number": dwelling.number})
            if dwelling.entrance is not None:
                result.entrance = {"id": dwelling.entrance.pk, "number": dwelling.entrance.number}
            return factor
        factor *= PART_NOT_FOUND
    if e_no is not None:
        entrance = Entrance.objects.filter(building_id=building_id, number=e_no).only("id", "number").first()
        if entrance is None:
            factor *= PART_NOT_FOUND
        else:
            result.entrance = {"id": entrance.pk, "number": entrance.number}
            result.matched.append({"text": e_no, "part": "entrance", "number": entrance.number})
    return factor
