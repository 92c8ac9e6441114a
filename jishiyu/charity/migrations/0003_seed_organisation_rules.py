"""Seed the organisation rules table (staff may edit it in the admin). Sources: 慈善法 art. 60 (art. 61 after
the 2023 amendment) and 民政部等《关于慈善组织开展慈善活动年度支出和管理费用的规定》(2016)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import migrations

WAN = 10_000 * 100  # 万元 in fen
LAW = "慈善法第六十一条（原第六十条）"
RULE_2016 = "《关于慈善组织开展慈善活动年度支出和管理费用的规定》（2016）"
ROWS = [
    # kind, public fundraising, net assets from, below, basis, spending ‰, management ‰, source
    ("foundation", True, 0, None, "previous_income_or_average", 700, 100, LAW),
    ("other", True, 0, None, "previous_income", 700, 130, RULE_2016),
    ("foundation", False, 6000 * WAN, None, "previous_net_assets", 60, 120, RULE_2016),
    ("foundation", False, 800 * WAN, 6000 * WAN, "previous_net_assets", 60, 130, RULE_2016),
    ("foundation", False, 400 * WAN, 800 * WAN, "previous_net_assets", 70, 150, RULE_2016),
    ("foundation", False, 0, 400 * WAN, "previous_net_assets", 80, 200, RULE_2016),
]


def seed(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("charity", "OrganisationRule")
    for kind, pf, low, high, basis, spending, management, source in ROWS:
        rule.objects.create(
            org_kind=kind,
            public_fundraising=pf,
            min_net_assets_fen=low,
            max_net_assets_fen=high,
            basis=basis,
            min_spending_permille=spending,
            max_management_permille=management,
            effective_from=datetime.date(2016, 9, 1),
            source=source,
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("charity", "OrganisationRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("charity", "0002_organisation_rules")]
    operations = [migrations.RunPython(seed, unseed)]
