"""Shells that modules plug into (外壳注册表).

The staff menu, the workbench's to-dos (我的待办), the resident portal's module cards and the dashboard's
module cards are not written in the shells: each app declares its own in ``jishiyu/<app>/shell.py``, which
``CoreConfig.ready`` imports (``autodiscover_modules("shell")``). A shell reads only this registry, so a
new app adds its entries without editing a shell, and a count is written once, beside the queue it counts.

The core imports no app: an app imports this module and registers; the shells (portal, workbench,
dashboard) read it.

- ``MenuEntry``: one entry of the staff menu, shown to whoever passes its permission.
- ``Todo``: one to-do of the workbench: a bounded count of what waits for the actor and the URL of the
  queue that lists exactly those rows (the tests hold the count against the page).
- ``PortalCard``: one module of the resident portal (the card on the home page and the module's page).
- ``Figure``: one module card of the dashboard for a region (``FigureCard`` with ``FigureItem`` values).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from jishiyu.core.scope import holds_anywhere

# Who may see an entry: None (any staff member), a permission held anywhere, or a rule over the actor.
Permission = str | Callable[[Any], bool] | None
Text = str | Promise

# A to-do's badge stops counting here ("99+"): a count reads at most BADGE_CAP + 1 rows of an index.
BADGE_CAP = 99

# Menu sections: the tabs ("main") and the tools behind "More" ("tools").
MAIN = "main"
TOOLS = "tools"


def allowed(permission: Permission, actor: Any) -> bool:
    """Whether ``actor`` passes an entry's permission (None: any signed-in staff member)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if permission is None:
        return True
    if callable(permission):
        return bool(permission(actor))
    return holds_anywhere(actor, permission)


def any_of(*permissions: str) -> Callable[[Any], bool]:
    """A rule: the actor holds at least one of ``permissions`` somewhere."""

    def rule(actor: Any) -> bool:
        return holds_anywhere(actor, *permissions)

    rule.__name__ = "any_of_" + "_".join(p.replace(".", "_") for p in permissions)
    return rule


def link(url_name: str, query: str = "", args: Iterable[Any] = ()) -> str:
    url = reverse(url_name, args=list(args))
    return f"{url}?{query}" if query else url


class Badge(int):
    """A bounded count: beyond BADGE_CAP it reads "99+"."""

    @property
    def capped(self) -> bool:
        return int(self) > BADGE_CAP

    def __str__(self) -> str:
        return f"{BADGE_CAP}+" if self.capped else str(int(self))


def bounded_count(qs: QuerySet[Any], cap: int = BADGE_CAP) -> int:
    """How many rows ``qs`` holds, counting no further than ``cap + 1`` (no ordering, one bounded scan)."""
    return int(qs.order_by()[: cap + 1].count())


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: Text
    url_name: str
    permission: Permission = None
    order: int = 100
    section: str = MAIN
    query: str = ""

    def url(self) -> str:
        return link(self.url_name, self.query)


@dataclass(frozen=True)
class Todo:
    """``count(actor)`` returns the rows waiting, bounded (``bounded_count``); ``url_name`` + ``query``
    open the queue listing exactly those rows."""

    key: str
    title: Text
    hint: Text
    count: Callable[[Any], int]
    url_name: str
    permission: Permission = None
    query: str = ""
    order: int = 100

    def url(self) -> str:
        return link(self.url_name, self.query)


@dataclass(frozen=True)
class PortalCard:
    """A module of the resident portal: its card on the home page and its page /m/<slug>/."""

    slug: str
    title: Text
    tagline: Text
    holds: tuple[Text, ...]
    links: tuple[tuple[Text, str], ...]  # (label, URL name) of the pages residents can use now
    icon: str
    order: int = 100


@dataclass
class FigureItem:
    key: str
    label: str
    value: Any  # a number, a share, or None for "no data"
    display: str


@dataclass
class FigureCard:
    key: str
    title: str
    note: str
    link: str
    items: list[FigureItem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "module": self.key,
            "title": self.title,
            "note": self.note,
            "link": self.link,
            "figures": [{"key": i.key, "label": i.label, "value": i.value} for i in self.items],
        }


@dataclass(frozen=True)
class Figure:
    """A module card of the dashboard: shown only to an actor holding ``permission`` over the region;
    ``build(actor, region)`` reads the module's own scoped selectors (NotFound: no card)."""

    key: str
    permission: str
    build: Callable[[Any, Any], FigureCard]
    order: int = 100


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


def count_item(key: str, label: str, n: int) -> FigureItem:
    return FigureItem(key, label, n, str(n))


def share_item(key: str, label: str, value: float | None) -> FigureItem:
    return FigureItem(key, label, None if value is None else round(value, 4), percent(value))


class _Registry:
    def __init__(self) -> None:
        self.menu: dict[str, MenuEntry] = {}
        self.todos: dict[str, Todo] = {}
        self.portal: dict[str, PortalCard] = {}
        self.figures: dict[str, Figure] = {}

    def _add(self, table: dict[str, Any], key: str, entry: Any) -> None:
        if key in table and table[key] != entry:
            raise ImproperlyConfigured(f"shell entry {key!r} is declared twice")
        table[key] = entry


registry = _Registry()


def register_menu(*entries: MenuEntry) -> None:
    for entry in entries:
        registry._add(registry.menu, entry.key, entry)


def register_todos(*todos: Todo) -> None:
    for todo in todos:
        registry._add(registry.todos, todo.key, todo)


def register_portal(*cards: PortalCard) -> None:
    for card in cards:
        registry._add(registry.portal, card.slug, card)


def register_figures(*figures: Figure) -> None:
    for figure in figures:
        registry._add(registry.figures, figure.key, figure)


def _ordered(entries: Iterable[Any]) -> list[Any]:
    return sorted(entries, key=lambda e: (e.order, getattr(e, "key", getattr(e, "slug", ""))))


def menu_entries() -> list[MenuEntry]:
    return _ordered(registry.menu.values())


def todos() -> list[Todo]:
    return _ordered(registry.todos.values())


def portal_cards() -> list[PortalCard]:
    return _ordered(registry.portal.values())


def figures() -> list[Figure]:
    return _ordered(registry.figures.values())


# --- what a shell asks for one actor ---------------------------------------------------------------


@dataclass
class MenuItem:
    key: str
    label: Text
    url: str
    section: str


def menu_for(actor: Any) -> list[MenuItem]:
    """The staff menu of ``actor``: the entries they pass, in order (an unresolvable URL is left out).
    Kept on the actor for the request (the page and its navigation both ask), as their roles are."""
    cached: list[MenuItem] | None = getattr(actor, "__dict__", {}).get("_shell_menu")
    if cached is not None:
        return cached
    items = []
    for entry in menu_entries():
        if not allowed(entry.permission, actor):
            continue
        try:
            url = entry.url()
        except NoReverseMatch:
            continue
        items.append(MenuItem(entry.key, entry.label, url, entry.section))
    if hasattr(actor, "__dict__"):
        actor.__dict__["_shell_menu"] = items
    return items


@dataclass
class TodoCard:
    key: str
    title: Text
    hint: Text
    count: Badge
    url: str

    @property
    def display(self) -> str:
        return str(self.count)


def todos_for(actor: Any) -> list[TodoCard]:
    """The to-dos of ``actor``: each one they pass, with its bounded count and the queue it links to."""
    return [
        TodoCard(todo.key, todo.title, todo.hint, Badge(todo.count(actor)), todo.url())
        for todo in todos()
        if allowed(todo.permission, actor)
    ]
