"""manage.py demo_district: build the demo district (演示城区) of 雨花台区.

    python manage.py demo_district --residents 3000 --seed 7 [--if-empty] [--reset]

Builds, in one transaction, a deterministic district (the same seed and residents give the same
people, in the same calendar year — ages are drawn as of 1 January of the build year): 雨花台区 with
its streets and parks (NBS codes), 42 communities of the three kinds, grids of 300–500 households
(a community of fewer than 600 households has one grid), compounds (翠竹园 about 2,000 households
over several grids), buildings, entrances and dwellings with exclusive areas, residents in
households of 1–4 with valid id numbers and phones (stored encrypted, hashed and masked exactly as
people.services.person_create stores them), residences, ownerships (co-owners with one
representative, a few developer-held dwellings), tags for people in difficulty, organisations of
every kind, and one demo account per role (phones 13900000001… in role order, password
settings.DEMO_PASSWORD; see README.md). Residents other than the demo resident have no account.
The build is written with bulk inserts, so one audit entry summarises it.

Options:
  --if-empty   do nothing when a district already exists (``make run`` uses it)
  --reset      remove the existing demo district first (people, addresses, organisations, every
               role assignment, the demo accounts, the region tree), then build

Adding a module's demo data: an installed app ``jishiyu.<app>`` may provide ``jishiyu/<app>/demo.py``
with

    ORDER = 100                   # optional: lower runs first; ties run in INSTALLED_APPS order
    def build(context): ...       # add rows; context is jishiyu.demo.builder.DemoContext
    def reset(context): ...       # optional: delete this module's rows (run before the core reset)

The command discovers these modules after the core build, inside the same transaction. The context
offers ``seed``, ``residents``, ``as_of``, ``rng(name)`` (a random.Random of the module's own, so
modules never shift each other's data), ``district``, ``streets``/``communities`` (by name),
``grids``/``compounds`` (community name → regions), ``demo_community``, ``accounts`` (role → User),
``organisations`` (by name), ``resident_person``, ``insert(model, rows)`` (batched bulk_create, counted)
and ``log(message)``. A lower app types the context as ``Any`` (it may not import jishiyu.demo).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jishiyu.demo.builder import build_district, district_exists, reset_district


class Command(BaseCommand):
    help = "Build the deterministic demo district of 雨花台区 (see the module docstring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=3000, help="number of residents (default 3000)")
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when a district already exists")
        parser.add_argument("--reset", action="store_true", help="remove the existing demo district first")

    def handle(self, *args: Any, **options: Any) -> None:
        residents, seed = options["residents"], options["seed"]
        if residents < 1:
            raise CommandError("--residents must be at least 1")
        if district_exists():
            if options["if_empty"] and not options["reset"]:
                self.stdout.write("A district already exists: nothing to do (--if-empty).")
                return
            if not options["reset"]:
                raise CommandError("A district already exists: use --reset to rebuild it, or --if-empty.")
            reset_district(self.log)
        started = time.perf_counter()
        self.log(f"Building the demo district: {residents} residents, seed {seed}")
        ctx = build_district(residents=residents, seed=seed, log=self.log)
        elapsed = time.perf_counter() - started
        for label, count in sorted(ctx.counts.items()):
            self.log(f"  {label}: {count}")
        timings = ctx.timings
        self.log(
            f"Done in {elapsed:.1f}s (inserts {timings['insert']:.1f}s, "
            f"encryption and hashing {timings['protect']:.1f}s, the rest generation and region paths)."
        )

    def log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
