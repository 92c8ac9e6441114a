"""The newcomer's walk (issue 12, "Must show"): every README account signs in on a phone (390×844) and at a
desk (1440×900), in Chinese, in English and in elder mode, opens every entry of its menu (read from the
rendered page: the staff navigation, or the resident's bottom bar) and every page linked from its
workbench (the resident's: the portal home), and each page is checked:

- it answers 200;
- at 390 px it does not scroll sideways (``scrollWidth <= innerWidth``);
- in elder mode the text in ``main`` is at least 18 px;
- in English no Chinese string of the catalogues (the msgstr values of the zh_Hans .po files) is left,
  place and people names of the demo data aside;
- on a page with a map (``[data-map]`` or a Leaflet container), at least one feature is drawn with no tile
  server configured;
- with axe-core (npm, read from node_modules) on the resident's pages and the main staff pages: no serious
  or critical violation of WCAG 2.1 A/AA, contrast included.

Findings are collected and reported together; screenshots land in var/shots/walk/ for a person to read.
``make walk`` runs every combination; ``make test`` runs the phone in the three modes and the desk in
Chinese (the ``walk`` marker selects both; WALK=full asks for the whole walk).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from jishiyu.conftest import reload_data_migrations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.walk,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(settings.BASE_DIR)
SHOTS = ROOT / "var" / "shots" / "walk"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}
SIZES = {"phone": PHONE, "desk": DESK}
MODES = ("zh", "en", "elder")
FULL = os.environ.get("WALK", "") == "full"
# make test walks the phone in every mode and the desk in Chinese, each page once (the first account that
# has it in its menu), without screenshots; make walk (WALK=full) walks every account's every page at both
# sizes in the three modes and saves a screenshot of each (WALK_SHOTS=1 asks for them in the short walk).
COMBOS = [(s, m) for s in SIZES for m in MODES] if FULL else [("phone", m) for m in MODES] + [("desk", "zh")]
SHOOT = FULL or os.environ.get("WALK_SHOTS", "") == "1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The staff roles whose pages axe reads (besides every page of the resident): desk work at three levels.
AXE_STAFF = {"grid_worker", "community_worker", "street_dispatcher", "district_admin"}
# Not pages of ours, or not pages at all.
SKIP_PREFIXES = ("/admin/", "/api/", "/open311/", "/accounts/logout", "/static/", "/media/", "/i18n/")
MAX_PAGES = 40  # per account; the walk is for menus and workbench links, not for crawling lists
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Account:
    role: str
    phone: str


@dataclass
class Findings:
    items: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{where}: {what}")


def readme_accounts() -> list[Account]:
    """The demo accounts table of README.md: role (居民) | phone | password | scope."""
    rows = []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*([a-z_]+) \(.+?\)\s*\|\s*(1\d{10})\s*\|", line)
        if match:
            rows.append(Account(role=match.group(1), phone=match.group(2)))
    return rows


def catalogue_strings() -> set[str]:
    """Every run of Chinese in a msgstr of the zh_Hans catalogues (placeholders and Latin split it), less the
    runs the English source strings hold themselves (glossary terms such as "Subsistence allowance (低保)")."""
    runs: set[str] = set()
    in_source: set[str] = set()
    for po_path in [
        *ROOT.glob("jishiyu/*/locale/zh_Hans/LC_MESSAGES/*.po"),
        *ROOT.glob("locale/zh_Hans/LC_MESSAGES/*.po"),
    ]:
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            in_source.update(CJK.findall(entry.msgid + " " + (entry.msgid_plural or "")))
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                runs.update(run for run in CJK.findall(text) if HAN.search(run))
    return runs - in_source


def proper_nouns() -> list[str]:
    """Names in the demo data (places, organisations, people): Chinese in any language."""
    from jishiyu.accounts.models import User
    from jishiyu.organisations.models import Organisation
    from jishiyu.people.models import Person
    from jishiyu.regions.models import Region

    names: set[str] = set()
    names.update(Region.objects.values_list("name", flat=True))
    names.update(Organisation.objects.values_list("name", flat=True))
    names.update(Person.objects.values_list("name", flat=True))
    names.update(User.objects.values_list("name", flat=True))
    # the free text the demo modules write into their rows (a member's title such as 书记 (召集人), a topic)
    for source in [ROOT / "jishiyu" / "demo" / "data.py", *ROOT.glob("jishiyu/*/demo.py")]:
        names.update(run for run in CJK.findall(source.read_text(encoding="utf-8")) if HAN.search(run))
    return sorted((n for n in names if n), key=len, reverse=True)


def slug(url: str) -> str:
    parts = urlsplit(url)
    text = (parts.path.strip("/") or "home") + (f"_{parts.query}" if parts.query else "")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80] or "home"


# --- in-page probes --------------------------------------------------------------------------------------
WIDEST = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 1) continue;
    let p = el.parentElement, clipped = false;
    while (p && p !== document.body) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') { clipped = true; break; }
      p = p.parentElement;
    }
    if (clipped) continue;
    const tag = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(tag + ' ' + Math.round(r.right) + 'px');
    if (out.length > 4) break;
  }
  return {scroll: document.documentElement.scrollWidth, inner: w, culprits: out};
}"""

SMALL_TEXT = """(min) => {
  const out = [];
  const root = document.querySelector('main') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || seen.has(el) || !node.textContent.trim()) continue;
    seen.add(el);
    if (el.closest('script, style, svg, .leaflet-container, [aria-hidden=true], .visually-hidden')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size + 0.01 < min) {
      const c = el.className;
      const cls = c && typeof c === 'string' ? '.' + c.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + cls + ' ' + size + 'px "' + node.textContent.trim().slice(0, 24) + '"');
    }
  }
  return out;
}"""

CHINESE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template')) continue;
    const lang = el.closest('[lang]');
    if (lang && lang.getAttribute('lang').toLowerCase().startsWith('zh')) continue;  // 中文 on the switcher
    if (!/[\\u3400-\\u9fff]/.test(node.textContent)) continue;
    out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], img[alt]')) {
    for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
      const v = el.getAttribute(a);
      if (v && /[\\u3400-\\u9fff]/.test(v)) out.push(v);
    }
  }
  return out;
}"""

MAP_STATE = """() => {
  const maps = document.querySelectorAll('[data-map], .leaflet-container');
  if (!maps.length) return null;
  let drawn = 0;
  for (const m of maps) {
    // the shared map component (static/js/map.js) draws the district into its own panes (jm-areas, jm-streets…)
    const drawing = '.leaflet-map-pane path, .leaflet-map-pane canvas, .leaflet-marker-pane > *';
    drawn += m.querySelectorAll(drawing).length;
    drawn += m.querySelectorAll('svg path, canvas').length && !m.classList.contains('leaflet-container') ? 1 : 0;
  }
  const tiles = document.querySelectorAll('.leaflet-tile-pane img').length;
  return {maps: maps.length, drawn: drawn, tiles: tiles};
}"""


# --- the walk ------------------------------------------------------------------------------------------
class Walker:
    def __init__(self, base: str, browser: Any, findings: Findings) -> None:
        self.base = base
        self.browser = browser
        self.findings = findings
        self.catalogue = catalogue_strings()
        self.nouns = proper_nouns()
        self.axe = AXE.read_text(encoding="utf-8") if AXE.exists() else ""
        self.axe_seen: set[tuple[str, str]] = set()
        self.pages_seen = 0
        self.sessions: dict[str, Any] = {}
        self.timing: dict[str, float] = {}
        self.walked: set[tuple[str, str, str]] = set()

    def context(self, size: str, mode: str, session: Any = None) -> Any:
        context = self.browser.new_context(viewport=SIZES[size], locale="zh-CN", storage_state=session)
        context.set_default_timeout(15_000)
        host = urlsplit(self.base).hostname
        cookies = [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": "en" if mode == "en" else "zh-hans",
                "domain": host,
                "path": "/",
            }
        ]
        if mode == "elder":
            cookies.append({"name": "elder", "value": "1", "domain": host, "path": "/"})
        context.add_cookies(cookies)
        return context

    def links(self, page: Any, selector: str) -> list[str]:
        hrefs = page.eval_on_selector_all(selector, "els => els.map(a => a.getAttribute('href'))")
        out = []
        for href in hrefs:
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            url = urljoin(page.url, href)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != self.base or parts.path.startswith(SKIP_PREFIXES):
                continue
            url = url.split("#")[0]
            if url not in out:
                out.append(url)
        return out

    def pages_for(self, account: Account) -> list[str]:
        """Menu entries and workbench links of an account, read from the rendered pages (Chinese, desk). The
        resident's workbench is the portal home; its module pages are walked one step further (their own
        links are the module's pages)."""
        context = self.context("desk", "zh")
        try:
            page = context.new_page()
            sign_in(page, self.base, account.phone, settings.DEMO_PASSWORD)
            self.sessions[account.role] = context.storage_state()
            if account.role == "resident":
                home = f"{self.base}/"
                page.goto(home)
                urls = [home, *self.links(page, ".bottombar a")]
                firsts = self.links(page, "main a")
                urls += firsts
                for url in firsts:
                    response = page.goto(url)
                    if (
                        response is not None
                        and response.status == 200
                        and "text/html" in response.headers.get("content-type", "")
                    ):
                        urls += self.links(page, "main a")
            else:
                home = f"{self.base}/work/"
                response = page.goto(home)
                if response is None or response.status != 200:
                    self.findings.add(f"{account.role} /work/", f"status {response.status if response else '-'}")
                urls = [
                    home,
                    *self.links(page, "nav.staffnav a[data-nav], nav.staffnav .staffnav-tabs a"),
                    *self.links(page, "main a"),
                ]
        finally:
            context.close()
        unique = list(dict.fromkeys(urls))
        return unique[:MAX_PAGES]

    def walk(self, account: Account, urls: list[str], size: str, mode: str) -> None:
        context = self.context(size, mode, self.sessions.get(account.role))
        try:
            page = context.new_page()
            broken: list[str] = []
            page.on(
                "response",
                lambda r: (
                    broken.append(f"{r.status} {r.url}")
                    if r.status >= 400 and r.request.resource_type != "document"
                    else None
                ),
            )
            for url in urls:
                key = (size, mode, urlsplit(url).path)
                if not FULL and key in self.walked:
                    continue  # the short walk sees each page once
                self.walked.add(key)
                broken.clear()
                self.check(page, account, url, size, mode)
                if broken:
                    self.findings.add(
                        f"{account.role} {size} {mode} {url[len(self.base) :]}", f"assets failed: {broken[:4]}"
                    )
        finally:
            context.close()

    def check(self, page: Any, account: Account, url: str, size: str, mode: str) -> None:
        path = url[len(self.base) :] or "/"
        where = f"{account.role} {size} {mode} {path}"
        mark = time.perf_counter()
        try:
            response = page.goto(url, wait_until="load")
        except Exception as error:  # a page that never loads is a finding, not the end of the walk
            self.findings.add(where, f"did not load ({type(error).__name__})")
            return
        self.pages_seen += 1
        status = response.status if response else 0
        if status != 200:
            self.findings.add(where, f"status {status}")
            return
        if "text/html" not in (response.headers.get("content-type") or ""):
            return  # a download (an export, a PDF): its status is all there is to see
        self.tick("load", mark)
        mark = time.perf_counter()
        state = page.evaluate(MAP_STATE)
        if state is not None:
            for _ in range(10):  # a map draws after its data arrives
                if state["drawn"]:
                    break
                page.wait_for_timeout(300)
                state = page.evaluate(MAP_STATE)
            if not state["drawn"]:
                self.findings.add(where, f"map with nothing drawn ({state})")
        if size == "phone":
            wide = page.evaluate(WIDEST)
            if wide["scroll"] > wide["inner"]:
                self.findings.add(
                    where, f"scrolls sideways: {wide['scroll']}px > {wide['inner']}px; {wide['culprits']}"
                )
        if mode == "elder":
            small = page.evaluate(SMALL_TEXT, 18)
            if small:
                self.findings.add(where, f"{len(small)} text(s) under 18px in elder mode, e.g. {small[:4]}")
        if mode == "en":
            left = self.untranslated(page.evaluate(CHINESE_TEXT))
            if left:
                self.findings.add(where, f"Chinese left in English: {sorted(left)[:12]}")
        self.tick("checks", mark)
        mark = time.perf_counter()
        if self.axe and mode in ("zh", "elder") and (account.role == "resident" or account.role in AXE_STAFF):
            key = (f"{size}-{mode}", path.split("?")[0])
            if key not in self.axe_seen:
                self.axe_seen.add(key)
                self.run_axe(page, where)
        self.tick("axe", mark)
        if SHOOT:
            mark = time.perf_counter()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{account.role}-{size}-{mode}-{slug(url)}.png"), full_page=True)
            self.tick("screenshot", mark)

    def tick(self, name: str, since: float) -> None:
        self.timing[name] = self.timing.get(name, 0.0) + time.perf_counter() - since

    def untranslated(self, texts: list[str]) -> set[str]:
        left: set[str] = set()
        for text in texts:
            for noun in self.nouns:
                if noun in text:
                    text = text.replace(noun, " ")
            for run in CJK.findall(text):
                run = run.strip("\u3000，。：；、（）“”《》！？·")
                if run in self.catalogue and not any(run in noun for noun in self.nouns):
                    left.add(run)
        return left

    def run_axe(self, page: Any, where: str) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe + "\n;true")  # through the devtools protocol: the page's CSP stays as it is
        result = page.evaluate(
            "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
            " return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,"
            " targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + (n.any[0] && n.any[0].data &&"
            " n.any[0].data.contrastRatio ? ' ' + n.any[0].data.fgColor + '/' + n.any[0].data.bgColor + ' ' +"
            " n.any[0].data.contrastRatio : ''))})) }",
            AXE_TAGS,
        )
        for violation in result:
            self.findings.add(
                where, f"axe {violation['impact']} {violation['id']} ×{violation['n']}: {violation['targets']}"
            )


@pytest.fixture
def demo_district(db: Any) -> Iterator[None]:
    """The README's demo district (a smaller population: the pages are the same)."""
    reload_data_migrations()  # an earlier live-server test on this worker flushed what the migrations loaded
    call_command("demo_district", "--residents", "300", "--seed", "7", verbosity=0)
    yield


def test_every_readme_account_walks_its_menu_and_workbench(live_server, browser, demo_district, settings):
    settings.MAP_TILE_URL = ""  # tiles off: maps must draw the district from its own data
    findings = Findings()
    walker = Walker(live_server.url, browser, findings)
    accounts = readme_accounts()
    assert len(accounts) >= 13, accounts
    only = os.environ.get("WALK_ROLES", "")
    if only:  # WALK_ROLES=resident,grid_worker walks some accounts only (while fixing a page)
        accounts = [a for a in accounts if a.role in only.split(",")]
    assert walker.catalogue and walker.axe, "catalogues and node_modules/axe-core are needed"
    started = time.perf_counter()
    for account in accounts:
        urls = walker.pages_for(account)
        assert len(urls) >= 2, f"{account.role}: no menu or workbench links"
        for size, mode in COMBOS:
            walker.walk(account, urls, size, mode)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "findings.json").write_text(json.dumps(findings.items, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"walk: {walker.pages_seen} pages in {time.perf_counter() - started:.0f}s,"
        f" {len(findings.items)} findings; {walker.timing}"
    )
    assert not findings.items, f"{len(findings.items)} findings:\n" + "\n".join(findings.items)
