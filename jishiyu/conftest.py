"""Shared fixtures of the page shells (portal, workbench, dashboard): a small population in the test tree,
and the browser (Playwright driving Debian's chromium; never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from jishiyu.accounts.models import User
from jishiyu.notifications.models import Notification
from jishiyu.people.models import DataRequest, Household, Person, PersonTag, Tag
from jishiyu.regions.models import Building, Dwelling, Region

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


@dataclass
class Population:
    """Who lives where (counts the tests assert)."""

    unverified_in_community: Person
    unverified_elsewhere: Person


def _person(region: Region, name: str, **extra: Any) -> Person:
    return Person.objects.create(region=region, name=name, **extra)


def _dwellings(community: Region, grid: Region, n: int, number: str) -> list[Dwelling]:
    building = Building.objects.create(community=community, grid=grid, region=grid, number=number)
    return [Dwelling.objects.create(building=building, region=grid, number=f"{i + 1}01") for i in range(n)]


@pytest.fixture
def population(tree: Any, personas: dict[str, User]) -> Population:
    """翠竹园 (5 people: 3 in grid 1, 2 in grid 2), 凤台 (2), 新林 (4). Households 翠竹园 2 / 新林 1;
    dwellings 翠竹园 3 / 新林 1; tags: one person in 翠竹园 elderly-alone and disabled, one in 新林 低保;
    accounts: the resident persona verified in 翠竹园, one sign-up waiting in 翠竹园 and one in 新林;
    open data requests: one in 翠竹园, one in 新林 (plus a handled one in 翠竹园)."""
    t = tree
    now = timezone.now()
    hh1 = Household.objects.create(region=t.grid, number="CZY-1")
    Household.objects.create(region=t.grid2, number="CZY-2")
    Household.objects.create(region=t.other_grid, number="XL-1")
    _dwellings(t.community, t.grid, 2, "1")
    _dwellings(t.community, t.grid2, 1, "2")
    _dwellings(t.other_community, t.other_grid, 1, "9")

    mine = _person(t.grid, "居民甲", user=personas["resident"], verified_at=now, household=hh1)
    old = _person(t.grid, "王奶奶", household=hh1)
    _person(t.grid, "张三")
    signup = User.objects.create_user(phone="13900000001", password="x-Pass-1234", name="新注册")
    waiting = _person(t.grid2, "新注册", user=signup)
    _person(t.grid2, "李四")
    _person(t.sibling_community, "凤台甲")
    _person(t.sibling_community, "凤台乙")
    signup2 = User.objects.create_user(phone="13900000002", password="x-Pass-1234", name="新林注册")
    waiting2 = _person(t.other_grid, "新林注册", user=signup2)
    poor = _person(t.other_grid, "新林甲")
    _person(t.other_grid, "新林乙")
    _person(t.other_community, "新林丙")
    PersonTag.objects.create(person=old, tag=Tag.ELDERLY_ALONE)
    PersonTag.objects.create(person=old, tag=Tag.DISABLED)
    PersonTag.objects.create(person=poor, tag=Tag.SUBSISTENCE)
    DataRequest.objects.create(person=mine, kind=DataRequest.Kind.CORRECTION, detail="改名")
    DataRequest.objects.create(person=mine, kind=DataRequest.Kind.DELETION, detail="x", status=DataRequest.Status.DONE)
    DataRequest.objects.create(person=poor, kind=DataRequest.Kind.CORRECTION, detail="改地址")
    worker = personas["community_worker"]
    Notification.objects.create(user=worker, title="新诉求")
    Notification.objects.create(user=worker, title="提醒")
    Notification.objects.create(user=worker, title="已读", read_at=now)
    return Population(unverified_in_community=waiting, unverified_elsewhere=waiting2)


# --- browser ------------------------------------------------------------------------------------
def reload_data_migrations() -> None:
    """A live-server (transactional) test flushes every table, and with them the rows the data migrations
    loaded (the tickets catalogue, the facility catalogue, the charity and meeting rules): run those
    migrations' forward steps again, in the order ``migrate`` ran them, when the tables are empty."""
    from django.apps import apps as django_apps
    from django.db import connection, migrations
    from django.db.migrations.loader import MigrationLoader

    if django_apps.get_model("tickets", "Category").objects.exists():  # the sentinel: the catalogue is there
        return
    project = {config.label for config in django_apps.get_app_configs() if config.name.startswith("jishiyu.")}
    loader = MigrationLoader(connection)
    leaves = [node for node in loader.graph.leaf_nodes() if node[0] in project]
    state_apps = loader.project_state().apps  # the models as the last migration leaves them
    seen: set[tuple[str, str]] = set()
    with connection.schema_editor() as editor:
        for leaf in leaves:
            for node in loader.graph.forwards_plan(leaf):
                if node in seen or node[0] not in project:
                    continue
                seen.add(node)
                for operation in loader.graph.nodes[node].operations:
                    if isinstance(operation, migrations.RunPython):
                        operation.code(state_apps, editor)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright's sync API."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (make browser)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be allowed here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A function (viewport) → a page in a fresh context; all closed after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] = PHONE, locale: str = "zh-CN") -> Any:
        context = browser.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, base_url: str, phone: str, password: str) -> None:
    """Through the real login page; its phone field is ``phone`` (or ``username`` on the skeleton's form)."""
    page.goto(f"{base_url}/accounts/login/")
    field = "input[name=phone]" if page.locator("input[name=phone]").count() else "input[name=username]"
    page.fill(field, phone)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
