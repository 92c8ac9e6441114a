"""Menus lead somewhere and leave nothing out: signed in as each README account of the demo district,
every entry of that role's menu answers 200, and every staff page the role may open is reachable from its
menu (an entry, or a link on a page an entry opens). A menu entry may redirect (the compounds of a community
with one compound open that compound): it answers 200 where it leads."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jishiyu.accounts.models import User
from jishiyu.core.shells import Permission, allowed, any_of
from jishiyu.people.shell import may_import
from jishiyu.tickets.configuration import may_view_pages as may_view_ticket_settings
from jishiyu.tickets.shell import may_view_figures as may_view_ticket_figures
from jishiyu.workbench.tests.conftest import signed_in

NAV = re.compile(r'<a href="([^"]+)" data-(?:nav|tool)="([^"]+)"')
HREF = re.compile(r'href="(/[^"#]*)"')

# The staff pages a role may come to need (lists, queues and settings; not a record's own page), each with
# the permission whose records it lists: a role holding it must find the page from its menu. (Several of
# A role without it is refused the page, see below.)
PAGES: dict[str, Permission] = {
    "/work/": None,
    "/inbox/": None,
    "/people/": "people.view",
    "/people/awaiting/": "people.verify",
    "/people/households/": "people.view",
    "/people/imports/": may_import,
    "/me/staff/requests/": "people.handle_request",
    "/tickets/": any_of("tickets.view", "tickets.view_department"),
    "/tickets/map/": any_of("tickets.view", "tickets.view_department"),
    "/tickets/report/": "tickets.report",
    "/tickets/dashboard/": may_view_ticket_figures,
    "/tickets/routing/rules/": "tickets.configure",
    "/tickets/settings/": may_view_ticket_settings,
    "/tickets/hotline/sources/": "tickets.configure",
    "/tickets/hotline/callbacks/": "tickets.configure",
    "/regions/": "regions.view",
    "/organisations/": "organisations.view",
    "/audit/": "audit.view",
    "/compounds/": "deliberation.view",
    "/compounds/figures/": "deliberation.view",
    "/charity/desk/": "charity.view",
    "/circles/": "circles.view",
    "/dashboard/": "people.view",
    "/accounts/staff/": "accounts.manage",
    "/accounts/lockouts/": "accounts.security",
}


def _menu(client: Client) -> dict[str, str]:
    response = client.get("/work/")
    assert response.status_code == 200
    return {key: url for url, key in NAV.findall(response.content.decode())}


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def test_every_menu_entry_of_every_readme_account_answers_200(demo_district: dict[str, User]) -> None:
    failures = []
    for role, user in demo_district.items():
        if role == "resident":
            continue
        client = signed_in(user)
        menu = _menu(client)
        assert "workbench" in menu, role
        for key, url in menu.items():
            status = client.get(url, follow=True).status_code  # a list of one opens that one
            if status != 200:
                failures.append(f"{role}: {key} {url} answered {status}")
    assert not failures, failures


def test_the_residents_menus_answer_200(demo_district: dict[str, User]) -> None:
    client = signed_in(demo_district["resident"])
    home = client.get("/").content.decode()
    links = {u for u in HREF.findall(home) if u.startswith(("/m/", "/requests/", "/inbox/", "/me/"))}
    for module in re.findall(r'href="(/m/[a-z]+/)"', home):
        links |= {u for u in HREF.findall(client.get(module).content.decode()) if not u.startswith("/static/")}
    assert len([u for u in links if u.startswith("/m/")]) == 4
    failures = [f"{u} answered {s}" for u in sorted(links) if (s := client.get(u, follow=True).status_code) != 200]
    assert not failures, failures


def test_every_page_a_role_may_open_is_reachable_from_its_menu(demo_district: dict[str, User]) -> None:
    missing = []
    for role, user in demo_district.items():
        if role == "resident":
            continue
        client = signed_in(user)
        menu = _menu(client)
        reachable = {_path(u) for u in menu.values()}
        for url in menu.values():
            reachable |= {_path(u) for u in HREF.findall(client.get(url, follow=True).content.decode())}
        for page, permission in PAGES.items():
            if not allowed(permission, user):
                continue
            if client.get(page, follow=True).status_code != 200:
                missing.append(f"{role}: {page} does not open")
            elif page not in reachable:
                missing.append(f"{role}: {page} is linked from nowhere in the menu")
    assert not missing, "\n".join(missing)


def test_the_known_dead_ends_are_gone(demo_district: dict[str, User]) -> None:
    grid = _menu(signed_in(demo_district["grid_worker"]))
    assert signed_in(demo_district["grid_worker"]).get(grid["dashboard"]).status_code == 200
    assert _menu(signed_in(demo_district["department_handler"]))["tickets"] == "/tickets/"
    admin = _menu(signed_in(demo_district["district_admin"]))
    assert admin["imports"] == "/people/imports/"
    assert admin["routing_rules"] == "/tickets/routing/rules/"
    assert "imports" in _menu(signed_in(demo_district["community_worker"]))
    assert "lockouts" in _menu(signed_in(demo_district["security_admin"]))


def test_a_role_without_a_pages_permission_is_refused_it(demo_district: dict[str, User]) -> None:
    """A staff page tells a role that may not use it so (403), instead of an empty list that reads as 'no
    work'; a resident is refused every staff page. (我的小区 /compounds/ is a residents' page as well as a
    staff one: it lists the compounds one lives in or oversees.)"""
    leaks = []
    for role, user in demo_district.items():
        client = signed_in(user)
        for page, permission in PAGES.items():
            if permission is None or page == "/compounds/" or allowed(permission, user):
                continue
            status = client.get(page).status_code
            if status not in (403, 404):
                leaks.append(f"{role}: {page} answered {status}")
    assert not leaks, "\n".join(leaks)


def test_a_refusal_and_a_missing_page_keep_the_person_in_their_own_shell(demo_district: dict[str, User]) -> None:
    """403 and 404 for someone signed in are drawn inside their shell, so the way on is one tap away: the staff
    menu for staff, the bottom bar for a resident; someone not signed in gets the plain page."""
    grid_worker_user = demo_district["grid_worker"]
    grid_worker = signed_in(grid_worker_user)
    refusals = [page for page, permission in PAGES.items() if permission and not allowed(permission, grid_worker_user)]
    refused = grid_worker.get(next(page for page in refusals if grid_worker.get(page).status_code == 403))
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "无权访问" in html and 'class="staffnav' in html and 'href="/work/"' in html

    missing = signed_in(demo_district["resident"]).get("/no/such/page/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "页面不存在" in html and 'class="bottombar"' in html and 'class="staffnav' not in html

    plain = Client().get("/no/such/page/")
    assert plain.status_code == 404
    assert "页面不存在" in plain.content.decode() and 'class="bottombar"' not in plain.content.decode()


def test_a_domain_refusal_gives_its_reason_on_the_one_403_page(demo_district: dict[str, User]) -> None:
    """A view's own refusal (the domain's PermissionDenied, through @scoped) is said on the same 403 page, in
    the shell; NotFound is the 404 page."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import Http404
    from django.test import RequestFactory

    from jishiyu.core import errors
    from jishiyu.core.pages import scoped

    @scoped
    def refusing(request):  # type: ignore[no-untyped-def]
        raise errors.PermissionDenied("只有派单员可以派单。")

    @scoped
    def missing(request):  # type: ignore[no-untyped-def]
        raise errors.NotFound("no such ticket")

    request = RequestFactory().get("/tickets/1/")
    request.user = demo_district["community_worker"]
    request.session = SessionStore()
    response = refusing(request)
    assert response.status_code == 403
    html = response.content.decode()
    assert "只有派单员可以派单。" in html and "无权访问" in html and 'class="staffnav' in html
    with pytest.raises(Http404):
        missing(request)
