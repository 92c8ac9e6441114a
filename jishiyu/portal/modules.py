"""The four modules of the resident portal. Each landing page says what the module will hold and links
to what residents can already use, so no card leads nowhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    slug: str
    title: str | Promise
    tagline: str | Promise
    holds: tuple[str | Promise, ...]
    # (label, URL name) of pages that exist now
    links: tuple[tuple[str | Promise, str], ...]
    icon: str


MODULES: tuple[Module, ...] = (
    Module(
        "community",
        _("Community Link"),
        _("Ask for help, report a problem, follow your requests"),
        (
            _("Report a problem in your neighbourhood with a photo and the place"),
            _("Follow each request until it is solved, and rate the answer"),
            _("Requests from the 12345 hotline arrive here too"),
        ),
        (
            (_("Ask your community"), "tickets:ticket-create"),
            (_("My requests"), "portal:request-list"),
            (_("Messages"), "notifications:inbox"),
        ),
        "社",
    ),
    Module(
        "compound",
        _("My Compound"),
        _("Notices, discussions and owners' votes"),
        (
            _("Notices from your community and property company"),
            _("Topics your neighbours raise, meetings and their minutes"),
            _("Owners' votes, counted by share of area as the Civil Code requires"),
        ),
        (
            (_("Topics and owners' votes of my compound"), "deliberation:compound-list"),
            (_("My account and verification"), "portal:profile-detail"),
            (_("Messages"), "notifications:inbox"),
        ),
        "区",
    ),
    Module(
        "charity",
        _("Charity"),
        _("Charity projects, small wishes and volunteering"),
        (
            _("Charity projects near you and how every fen is spent"),
            _("Small wishes of neighbours in need that you can claim"),
            _("Volunteer activities, sign-up and your service hours"),
        ),
        ((_("Charity projects"), "charity:project-list"), (_("My giving"), "charity:giving-mine")),
        "益",
    ),
    Module(
        "circles",
        _("Life Circles"),
        _("Shops, sports and clinics within 5, 10 and 15 minutes"),
        (
            _("Clinics, shops, canteens and sports grounds near your home"),
            _("What you can reach on foot in 5, 10 and 15 minutes"),
            _("Tell us what is missing near you"),
        ),
        (
            (_("What is near me"), "circles:near-me"),
            (_("My requests"), "portal:request-list"),
            (_("My account"), "portal:profile-detail"),
        ),
        "福",
    ),
)

BY_SLUG = {m.slug: m for m in MODULES}
