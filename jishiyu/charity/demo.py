"""Demo data of the charity app (公益行): funding sources of five kinds (incl. 科菲平基金会), projects with
their ledgers (received → allocated → spent, every balance whole), needs, eight past roadshows with
their claims, and one upcoming roadshow in the demo community. Size does not depend on --residents."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from jishiyu.accounts.roles import Role
from jishiyu.charity.models import Claim, Donation, FundingSource, LedgerEntry, Need, Project, Roadshow
from jishiyu.organisations.models import Organisation

ORDER = 200

PROJECTS = (
    # name, goal, budget yuan, beneficiaries, runner is the community (True) or the social organisation
    ("翠竹园助老餐桌", "为社区独居、高龄老人提供每日午餐与送餐上门", 360_000, "独居高龄老人 60 人", True),
    ("四点半课堂", "放学后为双职工家庭的孩子提供作业辅导与安全看护", 180_000, "小学生 45 人", False),
    ("困难家庭微心愿", "收集并实现困难家庭的小心愿：助听器、轮椅、书包、家电维修", 120_000, "困难家庭 30 户", True),
    ("楼道微更新", "老旧楼道照明、扶手与适老化改造", 500_000, "老旧小区居民 800 户", True),
    ("社区心理关怀", "为特殊困难群体提供心理疏导与陪伴", 240_000, "特殊困难群体 50 人", False),
)
WISHES = ("一台助听器", "一辆轮椅", "一个新书包", "冬季棉被两床", "一台电饭煲", "老花镜一副", "血压计一台")
DONORS = ("南京雨花软件科技有限公司", "王先生", "李女士", "雨花台区商会", "张先生", "爱心居民陈女士", "赵先生")


# A plausible payee for the demo (a made-up account number: never pay into it).
DEMO_PAYEE = {
    "payee_name": "南京市雨花台区科菲平公益基金会",
    "payee_bank": "中国工商银行南京雨花台支行",
    "payee_account": "4301 0000 0900 0012 345",
    "office_address": "翠竹园社区邻里中心一楼服务台（雨花台区翠竹路 18 号）",
    "office_hours": "周一至周五 9:00–17:00，周六 9:00–12:00",
}


def _fen(yuan: int) -> int:
    return yuan * 100


def build(ctx: Any) -> None:
    rng = ctx.rng("charity")
    district = ctx.district
    community = ctx.demo_community
    street = community.parent
    worker = ctx.accounts.get(Role.COMMUNITY_WORKER)
    official = ctx.accounts.get(Role.STREET_OFFICIAL)
    if district is None or worker is None or official is None:
        return
    orgs = ctx.organisations
    foundation = orgs.get("科菲平基金会") or Organisation.objects.filter(name="科菲平基金会").first()
    enterprise = orgs.get("南京雨花软件科技有限公司") or Organisation.objects.filter(kind="enterprise").first()
    social = orgs.get("雨花台区益邻社会工作服务中心") or Organisation.objects.filter(kind="social").first()
    if foundation is None or social is None:
        return
    sources = {
        "district": FundingSource.objects.create(kind="district_finance", name="区财政公益创投资金", region=district),
        "street": FundingSource.objects.create(kind="street_matching", name=f"{street.name}配比资金", region=street),
        "foundation": FundingSource.objects.create(
            kind="foundation", name="科菲平基金会", region=district, organisation=foundation
        ),
        "enterprise": FundingSource.objects.create(
            kind="enterprise", name="南京雨花软件科技有限公司", region=district, organisation=enterprise
        ),
        "public": FundingSource.objects.create(kind="public", name="公众捐赠", region=district),
    }
    now = timezone.now()
    projects: list[Project] = []
    for i, (name, goal, budget, beneficiaries, by_community) in enumerate(PROJECTS):
        projects.append(
            Project.objects.create(
                name=name,
                region=community,
                runner_kind="community" if by_community else "social_organisation",
                runner=None if by_community else social,
                recipient=foundation,
                goal=goal,
                budget_fen=_fen(budget),
                beneficiaries=beneficiaries,
                status="published",
                created_at=now - datetime.timedelta(days=400 - 30 * i),
                **DEMO_PAYEE,
            )
        )
    entries: list[LedgerEntry] = []
    for project in projects:
        budget = project.budget_fen
        for key, share in (("district", 0.4), ("street", 0.2), ("foundation", 0.3), ("enterprise", 0.1)):
            received = int(budget * share) // 100 * 100
            allocated = received * rng.randint(60, 100) // 100
            spent = allocated * rng.randint(40, 100) // 100
            for kind, amount, days in (
                ("pledged", received, 380),
                ("received", received, 360),
                ("allocated", allocated, 300),
                ("spent", spent, rng.randint(20, 280)),
            ):
                if amount > 0:
                    entries.append(
                        LedgerEntry(
                            project=project,
                            source=sources[key],
                            recipient=project.recipient,
                            kind=kind,
                            amount_fen=amount,
                            use="charitable" if kind == "spent" else "",
                            note=f"{project.name}：{LedgerEntry.Kind(kind).label}" if kind == "spent" else "",
                            recorded_by=official,
                            created_at=now - datetime.timedelta(days=days),
                        )
                    )
    ctx.insert(LedgerEntry, entries)

    wish_project, need_project = projects[2], projects[0]
    past = []
    for n in range(8):
        starts = now - datetime.timedelta(days=60 + 45 * n)
        show = Roadshow.objects.create(
            title=f"雨花公益路演 第{8 - n}场", region=street, venue="雨花街道党群服务中心", starts_at=starts
        )
        show.projects.set(projects)
        past.append(show)
    upcoming = Roadshow.objects.create(
        title="翠竹园社区公益路演（即将举行）",
        region=community,
        venue="翠竹园社区邻里中心",
        starts_at=now + datetime.timedelta(days=10),
    )
    upcoming.projects.set(projects[:3])

    claims_entries: list[LedgerEntry] = []
    for show in past:
        for j in range(4):
            wish = Need.objects.create(
                kind="small_wish",
                title=rng.choice(WISHES),
                project=wish_project,
                region=community,
                roadshow=show,
                share_fen=_fen(rng.choice((300, 500, 800, 1200))),
                beneficiary_masked=rng.choice(("王*", "李**", "张*", "陈**")),
                shares_claimed=1,
                status="covered",
                posted_by=worker,
                created_at=show.starts_at - datetime.timedelta(days=7),
            )
            _claim(ctx, wish, 1, rng.choice(DONORS), worker, sources["public"], show.starts_at, claims_entries, j < 3)
        need = Need.objects.create(
            kind="project_need",
            title="助老餐桌一个月餐费",
            project=need_project,
            region=community,
            roadshow=show,
            shares_total=20,
            share_fen=_fen(2000),
            shares_claimed=20,
            status="covered",
            posted_by=worker,
            created_at=show.starts_at - datetime.timedelta(days=7),
        )
        for donor, shares in ((rng.choice(DONORS), 12), (rng.choice(DONORS), 8)):
            _claim(ctx, need, shares, donor, worker, sources["public"], show.starts_at, claims_entries, True)
    ctx.insert(LedgerEntry, claims_entries)
    for title in WISHES[:5]:
        Need.objects.create(
            kind="small_wish",
            title=title,
            project=wish_project,
            region=community,
            roadshow=upcoming,
            share_fen=_fen(rng.choice((300, 500, 800))),
            beneficiary_masked=rng.choice(("王*", "李**", "张*")),
            posted_by=worker,
        )
    Need.objects.create(
        kind="project_need",
        title="四点半课堂一学期辅导",
        project=projects[1],
        region=community,
        roadshow=upcoming,
        shares_total=30,
        share_fen=_fen(1000),
        posted_by=worker,
    )
    ctx.log(f"charity: {len(projects)} projects, {len(past) + 1} roadshows")


def _claim(
    ctx: Any,
    need: Need,
    shares: int,
    donor: str,
    worker: Any,
    source: FundingSource,
    when: datetime.datetime,
    entries: list[LedgerEntry],
    fulfilled: bool,
) -> None:
    amount = shares * need.share_fen
    claim = Claim.objects.create(
        need=need,
        donor_name=donor,
        source=source,
        shares=shares,
        amount_fen=amount,
        via="card",
        status="fulfilled" if fulfilled else "pledged",
        recorded_by=worker,
        created_at=when,
        fulfilled_at=when + datetime.timedelta(days=14) if fulfilled else None,
    )
    common = {"project": need.project, "source": source, "recipient": need.project.recipient, "claim": claim}
    entries.append(LedgerEntry(kind="pledged", amount_fen=amount, created_at=when, recorded_by=worker, **common))
    if fulfilled:
        entries.append(
            LedgerEntry(
                kind="received",
                amount_fen=amount,
                created_at=when + datetime.timedelta(days=14),
                recorded_by=worker,
                **common,
            )
        )


def reset(ctx: Any) -> None:
    # The ledger refuses deletes through its manager on purpose; a demo reset is the one exception.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM charity_ledgerentry")
    Donation.objects.all().delete()
    Claim.objects.all().delete()
    Need.objects.all().delete()
    Roadshow.objects.all().delete()
    Project.objects.all().delete()
    FundingSource.objects.all().delete()
