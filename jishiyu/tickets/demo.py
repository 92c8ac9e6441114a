"""Demo data of the tickets app: a year of ticket history (工单历史) for the demo district.

About one ticket a year for every two residents (a district of ~600k people sees a few hundred
thousand), in the hotline's observed mix of kinds (咨询 64%, 求助 29%, 其他 5%, 投诉 1%, 建议 0.6%,
举报 0.5%, 表扬 0.2%), from every channel; each dispatched by the rule its category suggests (with
some noise, as real dispatchers are), signed for, replied, followed up and closed — the recent ones
still on their way. Written with bulk inserts: fast at --residents 3000, workable at 339000."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from jishiyu.people.validation import protect_phone
from jishiyu.regions import geometry
from jishiyu.tickets import deadlines, demo_hotline
from jishiyu.tickets.hotline import key_hash as hotline_key_hash
from jishiyu.tickets.models import (
    CallbackDelivery,
    Category,
    Channel,
    FollowUp,
    ImportBatch,
    Kind,
    PlaceBasis,
    Source,
    Status,
    Ticket,
    TicketEvent,
    TicketExternalId,
    TicketPhoto,
)

ORDER = 200
LOCAL = ZoneInfo("Asia/Shanghai")
TICKETS_PER_RESIDENT = 0.5

KIND_MIX = [
    (Kind.ENQUIRY, 64.0),
    (Kind.HELP, 29.0),
    (Kind.OTHER, 5.0),
    (Kind.COMPLAINT, 1.0),
    (Kind.SUGGESTION, 0.6),
    (Kind.REPORT, 0.5),
    (Kind.PRAISE, 0.2),
]
CHANNEL_MIX = [(Channel.HOTLINE, 60.0), (Channel.PORTAL, 20.0), (Channel.GRID, 15.0), (Channel.STAFF, 5.0)]
# Category prefix → the department that usually handles it; None: the community of the place.
DEPARTMENT_OF = {
    "C": "区城管局",
    "E": "区城管局",
    "S01": "区民政局",
    "S02": None,
    "S03": "区市场监管局",
    "S04": "区城管局",
    "S05": None,
    "S06": "区住建局",
    "S07": None,
    "S08": "区人社局",
    "S09": None,
    "S99": None,
}
TEXTS = {
    "路灯": ["小区门口路灯不亮已经一周了", "{place}路灯晚上闪烁"],
    "井盖": ["{place}路口井盖缺失，很危险", "井盖松动，车一过就响"],
    "垃圾": ["{place}垃圾桶满溢没人清理", "楼下暴露垃圾好几天了"],
    "停车": ["{place}门口机动车乱停放堵住消防通道", "电动车乱停放在楼道里"],
    "噪音": ["{place}附近工地夜间施工噪音扰民", "楼下烧烤店油烟和噪音很大"],
    "物业": ["物业不作为，电梯经常坏", "物业费收了但保洁不到位"],
    "养老": ["想咨询居家养老上门服务怎么申请", "高龄津贴怎么办理"],
    "社保": ["咨询医保异地备案流程", "灵活就业社保怎么交"],
    "积水": ["{place}一下雨就积水", "下水道堵塞，污水冒出来"],
    "其他": ["咨询{place}附近的便民服务点", "想了解社区活动安排"],
}


def _weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _text_for(category: Category | None, place: str, rng: random.Random) -> str:
    name = category.name if category else ""
    for key, options in TEXTS.items():
        if key in name or key in (category.keywords if category else ""):
            return rng.choice(options).format(place=place)
    if category is not None:
        return f"{place}{name}问题，请尽快处理"
    return rng.choice(TEXTS["其他"]).format(place=place)


def _department_for(category: Category | None, orgs: dict[str, Any]) -> Any:
    if category is None:
        return None
    code = category.code
    name = DEPARTMENT_OF.get(code[:3], DEPARTMENT_OF.get(code[:1]))
    return orgs.get(name) if name else None


def reset(context: Any) -> None:
    """Remove the demo tickets (before the regions they point at go)."""
    for model in (CallbackDelivery, TicketExternalId, TicketEvent, FollowUp, TicketPhoto):
        model.objects.all().delete()
    Ticket.objects.update(duplicate_of=None, suspected_duplicate_of=None)
    Ticket.objects.all().delete()
    ImportBatch.objects.all().delete()
    Source.objects.filter(
        key_hash__in=[hotline_key_hash(demo_hotline.DEMO_HOTLINE_KEY), hotline_key_hash(demo_hotline.DEMO_OPEN311_KEY)]
    ).delete()


def build(context: Any) -> None:
    rng = context.rng("tickets")
    as_of = dt.datetime.combine(context.as_of, dt.time(18, 0), tzinfo=LOCAL)
    # The history runs up to the moment the demo is built (a year back), so the figures of the last days and
    # the queues hold tickets on the day one tries the demo; a future ``as_of`` (tests) is taken as given.
    now = timezone.now() if context.as_of <= timezone.localdate() else as_of
    # The exchange's demo credentials (README): one 12345 source and one Open311 client.
    demo_hotline.build(context)
    source = Source.objects.get(key_hash=hotline_key_hash(demo_hotline.DEMO_HOTLINE_KEY))
    leaves = [c for c in Category.objects.filter(active=True, parent__isnull=False)]
    by_domain: dict[str, list[Category]] = {}
    for category in leaves:
        by_domain.setdefault(category.domain, []).append(category)
    grids = [(name, g) for name, regions in context.grids.items() for g in regions]
    if not grids:
        return
    community_of = {name: context.communities[name] for name in context.grids}
    orgs = context.organisations
    accounts = context.accounts
    resident = accounts.get("resident")
    limits_cache: dict[tuple[str, str, str], deadlines.Limits] = {}
    calendar = deadlines.WorkCalendar()

    total = max(50, int(context.residents * TICKETS_PER_RESIDENT))
    tickets: list[Ticket] = []
    plans: list[dict[str, Any]] = []
    for i in range(total):
        kind = _weighted(rng, KIND_MIX)
        channel = _weighted(rng, CHANNEL_MIX)
        if channel == Channel.GRID:
            kind = Kind.OTHER
            category = rng.choice(by_domain.get("event", leaves) + by_domain.get("component", leaves))
        elif kind in (Kind.ENQUIRY,):
            category = rng.choice(by_domain.get("social", leaves))
        else:
            category = rng.choice(leaves)
        community_name, grid = rng.choice(grids)
        community = community_of[community_name]
        received = now - dt.timedelta(seconds=rng.randint(0, 365 * 24 * 3600))
        received = received.replace(hour=rng.choice([8, 9, 10, 11, 14, 15, 16, 17, 19, 21]))
        if received > now:
            received -= dt.timedelta(days=1)
        urgency = "urgent" if rng.random() < 0.03 else "normal"
        key = (kind, urgency, channel)
        probe = Ticket(kind=kind, urgency=urgency, channel=channel, received_at=received)
        if key not in limits_cache:
            limits_cache[key] = deadlines.limits_for(probe)
        limits = limits_cache[key]
        due = deadlines.add_limit(received, limits.amount, limits.unit, calendar)
        outline = geometry.outer_ring(grid.geometry)
        if outline:  # somewhere inside the grid's outline, so the ticket lands in that grid
            lon, lat = geometry.point_inside(outline, rng, shrink=0.05)
        else:
            lon = (grid.lon or community.lon or 118.78) + rng.uniform(-0.002, 0.002)
            lat = (grid.lat or community.lat or 31.99) + rng.uniform(-0.002, 0.002)
        place = community.name.replace("社区", "")
        unresolved = rng.random() < 0.02
        # an unplaced request waits in the street of the grid it came from, for that street's dispatcher
        queue = grid if not unresolved else next(s for s in context.streets.values() if grid.path.startswith(s.path))
        anonymous = kind in (Kind.REPORT,) or rng.random() < 0.02
        phone = "" if anonymous else f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
        protected = protect_phone(phone) if channel == Channel.HOTLINE and phone else protect_phone("")
        reporter = resident if channel == Channel.PORTAL and resident is not None and rng.random() < 0.02 else None
        ticket = Ticket(
            channel=channel,
            source=source if channel == Channel.HOTLINE else None,
            external_id=f"NJ12345-{context.seed}-{i:07d}" if channel == Channel.HOTLINE else "",
            kind=kind,
            category=category,
            content=_text_for(category, place, rng),
            address=f"{community.name}{rng.randint(1, 30)}栋附近",
            lon=round(lon, 6),
            lat=round(lat, 6),
            region=None if unresolved else grid,
            queue_region=queue,
            region_path=queue.path,
            place_resolved=not unresolved,
            place_basis=PlaceBasis.NONE if unresolved else PlaceBasis.POINT,
            reporter=reporter,
            caller_name="" if anonymous else rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["先生", "女士"]),
            caller_phone_enc=protected.enc,
            caller_phone_hash=protected.hash,
            caller_phone_masked=protected.masked,
            anonymous=anonymous,
            confidential=kind in (Kind.REPORT, Kind.COMPLAINT) and rng.random() < 0.3,
            urgency=urgency,
            received_at=received,
            due_at=due.at,
            deadline_provisional=due.provisional,
            status=Status.ACCEPTED,
        )
        department = _department_for(category, orgs) if rng.random() < 0.85 else None
        if rng.random() < 0.1:  # dispatchers do not always follow the rule
            department = rng.choice([None, *[o for n, o in orgs.items() if "局" in n]])
        plans.append({"community": community, "department": department, "limits": limits})
        tickets.append(ticket)

    # Each street's dispatcher finds work waiting: its two newest requests still wait to be dispatched.
    newest: dict[str, list[int]] = {}
    for index in sorted(range(len(tickets)), key=lambda k: tickets[k].received_at, reverse=True):
        street = tickets[index].queue_region.path.split("/")[2] if tickets[index].queue_region else ""
        if len(newest.setdefault(street, [])) < WAITING_PER_STREET:
            newest[street].append(index)
    waiting = {k for ks in newest.values() for k in ks}
    stalled = _stalled(tickets, plans, waiting, now)
    # Lifecycle per ticket, by age: older ones closed, recent ones at every step.
    for index, (ticket, plan) in enumerate(zip(tickets, plans, strict=True)):
        if index in waiting:
            plan["events_for"] = _accepted_only(ticket)
            continue
        plan["stall"] = index in stalled
        _advance(ticket, plan, now, rng)
    context.insert(Ticket, tickets)
    if tickets[0].pk is None:  # a backend that does not return ids from a bulk insert
        saved = list(Ticket.objects.order_by("-pk").values_list("pk", flat=True)[: len(tickets)])[::-1]
    else:
        saved = [t.pk for t in tickets]
    events: list[TicketEvent] = []
    follow_ups: list[FollowUp] = []
    external: list[TicketExternalId] = []
    for pk, ticket, plan in zip(saved, tickets, plans, strict=True):
        ticket.pk = pk
        events.extend(plan.pop("events_for")(ticket))
        follow_up = plan.get("follow_up")
        if follow_up is not None:
            follow_up.ticket_id = pk
            follow_ups.append(follow_up)
        if ticket.external_id:
            external.append(TicketExternalId(source=source, external_id=ticket.external_id, ticket_id=pk))
    context.insert(TicketEvent, events)
    context.insert(FollowUp, follow_ups)
    context.insert(TicketExternalId, external)
    context.log(f"tickets: {len(tickets)} tickets, {len(events)} events, {len(follow_ups)} follow-ups")


Step = tuple[str, dt.datetime, str, str, dict[str, Any], str]
WAITING_PER_STREET = 2
STALLED_WITHIN = dt.timedelta(days=60)


def _stalled(tickets: list[Ticket], plans: list[dict[str, Any]], waiting: set[int], now: dt.datetime) -> set[int]:
    """The requests left signed for and unanswered past their time limit: each grid's and each department's
    newest overdue one, so every handler's workbench shows overdue work whatever day the demo is built."""
    chosen: dict[str, int] = {}
    for index in sorted(range(len(tickets)), key=lambda k: tickets[k].received_at, reverse=True):
        ticket, department = tickets[index], plans[index]["department"]
        if index in waiting or ticket.due_at is None or not (now - STALLED_WITHIN < ticket.received_at):
            continue
        if ticket.due_at >= now - dt.timedelta(days=1):
            continue
        holder = f"org:{department.pk}" if department else f"grid:{ticket.region_path}"
        chosen.setdefault(holder, index)
    return set(chosen.values())


def _accepted_only(ticket: Ticket) -> Any:
    """A request that still waits for its street's dispatcher: received, nothing else."""
    detail = {"channel": ticket.channel}
    return lambda saved: [
        TicketEvent(
            ticket_id=saved.pk, action="accept", at=ticket.received_at, to_status=Status.ACCEPTED, detail=detail
        )
    ]


def _advance(ticket: Ticket, plan: dict[str, Any], now: dt.datetime, rng: random.Random) -> None:
    """Walk a ticket through its steps up to ``now``; remember the events to insert."""
    steps: list[Step] = [("accept", ticket.received_at, "", Status.ACCEPTED, {"channel": ticket.channel}, "")]
    _walk(ticket, plan, now, rng, steps)
    plan["events_for"] = lambda saved: [
        TicketEvent(ticket_id=saved.pk, action=a, at=at, from_status=f, to_status=to, detail=d, note=n)
        for a, at, f, to, d, n in steps
    ]


def _walk(ticket: Ticket, plan: dict[str, Any], now: dt.datetime, rng: random.Random, steps: list[Step]) -> None:
    t = ticket.received_at
    limits: deadlines.Limits = plan["limits"]

    def step(
        action: str, after: dt.timedelta, status: str, detail: dict[str, Any] | None = None, note: str = ""
    ) -> bool:
        nonlocal t
        when = t + after
        if when > now:
            return False
        before = ticket.status
        t = when
        ticket.status = status
        steps.append((action, when, before, status, detail or {}, note))
        return True

    department = plan["department"]
    community = plan["community"]
    if not step(
        "dispatch",
        dt.timedelta(minutes=rng.randint(3, 240)),
        Status.DISPATCHED,
        {
            "handler_org": department.name if department else "",
            "handler_org_id": department.pk if department else None,
            "handler_region": "" if department else community.name,
            "handler_region_id": None if department else community.pk,
        },
    ):
        return
    ticket.dispatched_at = t
    ticket.handler_org = department
    ticket.handler_region = None if department else community
    if department is None and not ticket.region_path.startswith(community.path):
        ticket.queue_region, ticket.region_path = community, community.path
    sign_for_due = deadlines.add_limit(t, limits.sign_for_amount, limits.sign_for_unit)
    ticket.sign_for_due_at = sign_for_due.at
    late = rng.random() < 0.12
    delay = dt.timedelta(minutes=rng.randint(150, 900) if late else rng.randint(5, 110))
    if not step("sign_for", delay, Status.SIGNED_FOR, {"on_time": not late}):
        return
    ticket.signed_for_at = t
    if plan.get("stall"):
        return
    if rng.random() < 0.02:
        step("request_screening", dt.timedelta(hours=rng.randint(2, 30)), Status.SCREENING_REQUESTED, note="诉求不合理")
        if step("approve_screening", dt.timedelta(hours=rng.randint(2, 30)), Status.SCREENED_OUT):
            ticket.closed_at = t
        return
    span = (ticket.due_at - ticket.received_at) if ticket.due_at else dt.timedelta(days=3)
    handling = dt.timedelta(seconds=int(span.total_seconds() * rng.uniform(0.1, 1.15)))
    reply = rng.choice(["已联系相关单位处理完毕", "已现场核实并处理", "已电话答复来电人", "已协调物业整改"])
    if not step("reply", handling, Status.REPLIED, note=reply):
        return
    ticket.replied_at, ticket.reply = t, reply
    if not step("approve_reply", dt.timedelta(hours=rng.randint(1, 20)), Status.REVIEWED):
        return
    ticket.reviewed_at = t
    if ticket.anonymous:
        if step("close", dt.timedelta(hours=2), Status.CLOSED):
            ticket.closed_at = t
        return
    solved = _weighted(rng, [("yes", 85.0), ("partly", 8.0), ("no", 7.0)])
    satisfied = _weighted(rng, [("yes", 88.0), ("basically", 7.0), ("no", 5.0)])
    answers = {"solved": solved, "satisfied": satisfied}
    if not step("follow_up", dt.timedelta(hours=rng.randint(12, 48)), Status.FOLLOWED_UP, answers):
        return
    plan["follow_up"] = FollowUp(solved=solved, satisfied=satisfied, answered_at=t)
    unhappy = solved == "no" or satisfied == "no"
    if unhappy and rng.random() < 0.5 and step("redo", dt.timedelta(hours=4), Status.HANDLING, note="回访不满意，重办"):
        ticket.redo_count = 1
        ticket.due_at = deadlines.add_limit(t, limits.amount, limits.unit).at
        return
    if step("close", dt.timedelta(minutes=30), Status.CLOSED):
        ticket.closed_at = t
