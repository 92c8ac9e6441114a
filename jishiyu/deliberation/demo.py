"""Demo data of 小区里: 翠竹园's four-party table, topics at every stage, meetings, actions, one closed
and one open owners' vote. Written with bulk inserts (one summary audit entry for the whole demo)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone

from jishiyu.audit.registry import suspended
from jishiyu.deliberation import models as m
from jishiyu.deliberation.tally import BallotEntry, DwellingEntry, tally
from jishiyu.people.models import Ownership
from jishiyu.regions.models import Dwelling, Region

ORDER = 200

TOPICS = [
    ("collect", "小区南门增设非机动车充电桩", "电瓶车在楼道充电有隐患, 建议在南门空地增设充电桩。"),
    ("discuss", "垃圾分类投放点调整", "3号投放点离5栋太远, 老人投放不便。"),
    ("meeting", "地下车库渗水维修", "B区车库雨天渗水, 需确定维修方案和费用分担。"),
    ("vote", "2栋、3栋加装电梯", "2栋、3栋业主提出加装电梯, 需本单元业主共同决定。"),
    ("resolution", "续聘物业服务企业", "物业合同到期, 经业主表决续聘。"),
    ("implementation", "中心花园健身器材更新", "器材老化, 四方议定更新。"),
    ("review", "楼道堆物清理", "消防通道堆物, 四方联合清理。"),
    ("closed", "小区门禁系统升级", "门禁升级为人脸+刷卡。"),
]
STAGES = [s for s, _label in m.Topic.Stage.choices]


def _compound(ctx: Any) -> Region | None:
    compounds: list[Region] = ctx.compounds.get(ctx.demo_community.name, [])
    named = [c for c in compounds if c.name == "翠竹园"]
    found = named or compounds
    return found[0] if found else None


def _countable_buildings(compound: Region) -> list[tuple[int, list[tuple[Dwelling, int | None]]]]:
    """Buildings whose every dwelling has an area and an owner (or is developer-held), with each dwelling's voter."""
    dwellings = list(Dwelling.objects.filter(building__compound=compound).select_related("building", "entrance"))
    reps = dict(
        Ownership.objects.filter(dwelling__building__compound=compound, representative=True).values_list(
            "dwelling_id", "person_id"
        )
    )
    by_building: dict[int, list[tuple[Dwelling, int | None]]] = {}
    bad: set[int] = set()
    for d in dwellings:
        if not d.exclusive_area or (not d.developer_held and d.pk not in reps):
            bad.add(d.building_id)
        by_building.setdefault(d.building_id, []).append((d, None if d.developer_held else reps.get(d.pk)))
    return [(b, ds) for b, ds in sorted(by_building.items()) if b not in bad]


def _vote(
    ctx: Any,
    compound: Region,
    topic: m.Topic,
    title: str,
    matter: int,
    dwellings: list[tuple[Dwelling, int | None]],
    share: float,
    closed: bool,
) -> m.Vote:
    rng = ctx.rng("deliberation-votes")
    now = timezone.now()
    vote = m.Vote.objects.create(
        compound=compound,
        topic=topic,
        title=title,
        body=topic.body
        or f"{title}：方案由四方议事会议讨论形成，费用和实施单位见附件；表决通过后由物业公司在业主委员会监督下实施。",
        matter=matter,
        status=m.Vote.Status.CLOSED if closed else m.Vote.Status.OPEN,
        opens_at=now - datetime.timedelta(days=20 if closed else 3),
        closes_at=now - datetime.timedelta(days=6) if closed else now + datetime.timedelta(days=11),
        closed_at=now - datetime.timedelta(days=6) if closed else None,
        created_by=ctx.accounts.get("community_secretary"),
    )
    electors: list[m.Elector] = []
    for d, pid in dwellings:
        assert d.exclusive_area is not None  # _countable_buildings keeps only dwellings with an area
        electors.append(
            m.Elector(
                vote=vote,
                dwelling=d,
                label=d.label,
                area=d.exclusive_area,
                owner_key="developer" if pid is None else f"p{pid}",
                person_id=pid,
            )
        )
    ctx.insert(m.Elector, electors)
    resident = ctx.resident_person.pk if ctx.resident_person else None
    ballots, seen = [], set()
    for e in electors:
        if e.owner_key in seen or e.person_id == resident or rng.random() > share:
            continue
        seen.add(e.owner_key)
        choice = rng.choices(["for", "against", "abstain"], [82, 10, 8])[0]
        ballots.append(
            m.Ballot(
                vote=vote,
                owner_key=e.owner_key,
                person_id=e.person_id,
                choice=choice,
                channel=rng.choice(["online", "paper"]),
            )
        )
    ctx.insert(m.Ballot, ballots)
    if closed:
        result = tally(
            matter,
            [DwellingEntry(e.label, Fraction(Decimal(e.area)), e.owner_key) for e in electors],
            [BallotEntry(b.owner_key, b.choice) for b in ballots],
        )
        vote.result = result.as_json()
        vote.save(update_fields=["result"])
    return vote


def build(ctx: Any) -> None:
    compound = _compound(ctx)
    if compound is None:
        return
    today = timezone.localdate()
    with suspended():
        parties = {}
        kinds = {"party": "party", "residents_committee": "residents_committee"}
        for kind, label in m.Party.Kind.choices:
            org = next(
                (o for o in ctx.organisations.values() if o.kind == kinds.get(kind, kind) and "翠竹园" in o.name), None
            )
            parties[kind] = m.Party.objects.create(
                compound=compound, kind=kind, name=org.name if org else f"翠竹园{label}", organisation=org
            )
        members = [
            ("party", "community_secretary", "书记 (召集人)"),
            ("residents_committee", "community_worker", "委员"),
            ("property_company", "organisation_member", "项目经理"),
            ("owners_committee", "resident", "业委会委员"),
        ]
        for kind, role, title in members:
            if role in ctx.accounts:
                m.PartyMember.objects.create(party=parties[kind], user=ctx.accounts[role], title=title)
        m.Notice.objects.create(
            compound=compound,
            title="四方议事会议通知",
            body="本周四晚7点在社区党群服务中心召开四方联席会议, 欢迎业主旁听。",
            author=ctx.accounts.get("community_secretary"),
        )
        secretary = ctx.accounts.get("community_secretary")
        resident = ctx.accounts.get("resident")
        countable = _countable_buildings(compound)
        for i, (stage, title, body) in enumerate(TOPICS):
            topic = m.Topic.objects.create(
                compound=compound,
                title=title,
                body=body,
                proposer=resident,
                stage=stage,
                party=parties["owners_committee"] if i % 2 else None,
            )
            upto = STAGES.index(stage)
            path = [
                s
                for s in [
                    "collect",
                    "discuss",
                    "meeting",
                    "vote" if stage == "vote" or i == 4 else "",
                    "resolution",
                    "implementation",
                    "review",
                    "closed",
                ]
                if s and STAGES.index(s) <= upto
            ]
            ctx.insert(
                m.TopicStep,
                [
                    m.TopicStep(topic=topic, from_stage=a, to_stage=b, actor=secretary)
                    for a, b in itertools.pairwise(path)
                ],
            )
            if upto >= STAGES.index("discuss"):
                ctx.insert(m.Comment, [m.Comment(topic=topic, author=resident, body="支持, 希望尽快落实。")])
            if upto >= STAGES.index("meeting"):
                m.Meeting.objects.create(
                    compound=compound,
                    topic=topic,
                    title=f"四方联席会议: {title}",
                    agenda=body,
                    held_at=timezone.now() - datetime.timedelta(days=30 - i),
                    place="社区党群服务中心",
                    decisions="议定方案, 分工落实。" if upto >= STAGES.index("resolution") else "",
                )
            if upto >= STAGES.index("resolution"):
                topic.resolution = f"同意: {title}。"
                topic.resolved_at = timezone.now() - datetime.timedelta(days=20 - i)
                topic.save(update_fields=["resolution", "resolved_at"])
            if upto >= STAGES.index("implementation"):
                done = upto >= STAGES.index("review")
                due = today + datetime.timedelta(days=-10 if done else 20)
                action = m.Action.objects.create(
                    compound=compound,
                    topic=topic,
                    title=f"落实: {title}",
                    responsible=parties["property_company"],
                    due_date=due,
                    progress=100 if done else 40,
                    status=m.Action.Status.DONE if done else m.Action.Status.IN_PROGRESS,
                    done_on=due - datetime.timedelta(days=3) if done else None,
                )
                ctx.insert(
                    m.ActionUpdate,
                    [m.ActionUpdate(action=action, text="已完成" if done else "施工中", progress=action.progress)],
                )
                if not done:  # one follow-up has slipped past its date: the convener's workbench shows it
                    late = m.Action.objects.create(
                        compound=compound,
                        topic=topic,
                        title=f"公示施工进度: {title}",
                        responsible=parties["property_company"],
                        due_date=today - datetime.timedelta(days=5),
                        progress=60,
                        status=m.Action.Status.IN_PROGRESS,
                    )
                    ctx.insert(m.ActionUpdate, [m.ActionUpdate(action=late, text="材料已到场", progress=60)])
            if stage == "vote" and countable:
                chosen = countable[:2]
                own = ctx.resident_person
                if own is not None:
                    mine = [b for b in countable if any(pid == own.pk for _d, pid in b[1])]
                    chosen = (mine[:1] + [b for b in countable if b not in mine])[:2]
                dwellings = [d for _b, ds in chosen for d in ds]
                vote = _vote(ctx, compound, topic, "加装电梯 (业主共同决定)", 7, dwellings, 0.45, closed=False)
                vote.buildings.set([b for b, _ds in chosen])
            if i == 4 and len(countable) > 2:
                dwellings = [d for _b, ds in countable for d in ds]
                _vote(ctx, compound, topic, "续聘物业服务企业 (业主共同决定)", 4, dwellings, 0.8, closed=True)
        ctx.log(f"deliberation: {len(TOPICS)} topics, votes in {compound.name}")


def reset(ctx: Any) -> None:
    with suspended():
        for model in [
            m.ActionUpdate,
            m.Action,
            m.Ballot,
            m.Elector,
            m.Vote,
            m.Attendance,
            m.Meeting,
            m.Comment,
            m.TopicStep,
            m.Topic,
            m.Notice,
            m.PartyMember,
            m.Party,
        ]:
            model._default_manager.all().delete()
