"""Set-based SQL of bench/city.py: tickets, their events, follow-ups, external ids, delivered callbacks and a
year of audit entries, generated inside PostgreSQL by ``INSERT ... SELECT ... FROM generate_series(...)``.

Every random choice is ``bench.u(g, k)``: a uniform [0, 1) draw from the row number ``g`` and a draw number
``k`` (a hash, not ``random()``), so a build is the same every time and any chunk can be redone alone.
Arrays of the district's ids (grids with their community and street, categories, departments, staff) come
in as parameters; every foreign key points at a row that exists (the constraints are checked again when
they are restored after the load).

Rows are numbered in time order (``received_at`` and ``at`` grow with ``g``, as ids grow with time in a real
table), over the year before ``now``. 95% of the tickets are closed; the open 5% lie mostly in the last
15 days (60% of those are still open), the rest are stalled older ones (mostly handling, extension asked).
"""

from __future__ import annotations

FUNCTIONS = """
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.u(g bigint, k int) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashint8extended(g, k::bigint) & 2147483647)::float8 / 2147483648.0 $$;
CREATE TABLE IF NOT EXISTS bench.meta (key text PRIMARY KEY, value text NOT NULL);
"""

RECENT_DAYS = 15
RECENT_OPEN = 0.6
OPEN_SHARE = 0.05


def old_open_share() -> float:
    """The share of tickets older than RECENT_DAYS still open, so that OPEN_SHARE of all are open."""
    recent = RECENT_DAYS / 365
    return (OPEN_SHARE - RECENT_OPEN * recent) / (1 - recent)


# Columns in the order of the SELECT below.
TICKET_COLUMNS = """
    channel, source_id, external_id, kind, category_id, content, address, lon, lat,
    region_id, queue_region_id, region_path, place_resolved, place_basis,
    reporter_id, caller_name, caller_phone_enc, caller_phone_hash, caller_phone_masked,
    anonymous, confidential, urgency, status, held_status,
    handler_region_id, handler_org_id, handler_user_id, subject_org_id,
    received_at, dispatched_at, sign_for_due_at, signed_for_at, due_at, deadline_provisional,
    replied_at, reviewed_at, closed_at, warned_at, escalated_at, escalation_level,
    supervised, urge_count, redo_count, reply, duplicate_of_id, suspected_duplicate_of_id,
    suggested_handler, words, analysed_at, updated_at
"""

# Parameters: lo, hi (row numbers), t0 (start of the year), now, step (seconds per row), p_old, and the arrays
# grid_id, grid_path, grid_lon, grid_lat, com_id, com_path, com_name, com_short, street_id, street_path,
# category_id, org_id, dispatcher_id, resident_id, source_id, phone_enc, phone_hash, phone_masked, names,
# texts, replies.
TICKETS = f"""
WITH p AS MATERIALIZED (
    SELECT %(grid_id)s::bigint[] AS grid_id, %(grid_path)s::text[] AS grid_path,
           %(grid_lon)s::float8[] AS grid_lon, %(grid_lat)s::float8[] AS grid_lat,
           %(com_id)s::bigint[] AS com_id, %(com_path)s::text[] AS com_path,
           %(com_name)s::text[] AS com_name, %(com_short)s::text[] AS com_short,
           %(street_id)s::bigint[] AS street_id, %(street_path)s::text[] AS street_path,
           %(category_id)s::bigint[] AS category_id, %(org_id)s::bigint[] AS org_id,
           %(phone_enc)s::text[] AS phone_enc, %(phone_hash)s::text[] AS phone_hash,
           %(phone_masked)s::text[] AS phone_masked, %(names)s::text[] AS names,
           %(texts)s::text[] AS texts, %(replies)s::text[] AS replies
)
INSERT INTO tickets_ticket ({TICKET_COLUMNS})
SELECT
    b.channel,
    CASE WHEN b.channel = 'hotline' THEN %(source_id)s::bigint END,
    CASE WHEN b.channel = 'hotline' THEN 'NJ12345-C' || lpad(a.g::text, 9, '0') ELSE '' END,
    c.kind,
    p.category_id[1 + floor(bench.u(a.g, 15) * cardinality(p.category_id))::int],
    replace(p.texts[1 + floor(bench.u(a.g, 22) * cardinality(p.texts))::int], '{{place}}', p.com_short[a.gi]),
    p.com_name[a.gi] || (1 + floor(bench.u(a.g, 23) * 30))::int || '栋附近',
    round((coalesce(p.grid_lon[a.gi], 118.78) + (bench.u(a.g, 24) - 0.5) * 0.004)::numeric, 6)::float8,
    round((coalesce(p.grid_lat[a.gi], 31.99) + (bench.u(a.g, 25) - 0.5) * 0.004)::numeric, 6)::float8,
    CASE WHEN a.unresolved THEN NULL ELSE p.grid_id[a.gi] END,
    CASE WHEN NOT a.unresolved THEN p.grid_id[a.gi]
         WHEN c.handled AND NOT a.to_dept THEN p.com_id[a.gi] ELSE p.street_id[a.gi] END,
    CASE WHEN NOT a.unresolved THEN p.grid_path[a.gi]
         WHEN c.handled AND NOT a.to_dept THEN p.com_path[a.gi] ELSE p.street_path[a.gi] END,
    NOT a.unresolved,
    CASE WHEN a.unresolved THEN 'none' ELSE 'point' END,
    CASE WHEN b.channel = 'portal' AND bench.u(a.g, 21) < 0.02 THEN %(resident_id)s::bigint END,
    CASE WHEN c.anonymous THEN '' ELSE p.names[1 + floor(bench.u(a.g, 18) * cardinality(p.names))::int] END,
    CASE WHEN c.phone > 0 THEN p.phone_enc[c.phone] ELSE '' END,
    CASE WHEN c.phone > 0 THEN p.phone_hash[c.phone] ELSE '' END,
    CASE WHEN c.phone > 0 THEN p.phone_masked[c.phone] ELSE '' END,
    c.anonymous,
    c.kind IN ('report', 'complaint') AND bench.u(a.g, 19) < 0.3,
    CASE WHEN a.urgent THEN 'urgent' ELSE 'normal' END,
    b.status,
    CASE b.status WHEN 'return_requested' THEN 'signed_for'
                  WHEN 'extension_requested' THEN 'handling'
                  WHEN 'screening_requested' THEN 'handling' ELSE '' END,
    CASE WHEN c.handled AND NOT a.to_dept THEN p.com_id[a.gi] END,
    CASE WHEN c.handled AND a.to_dept THEN p.org_id[1 + floor(bench.u(a.g, 11) * cardinality(p.org_id))::int] END,
    NULL::bigint,
    CASE WHEN c.kind = 'complaint' AND bench.u(a.g, 28) < 0.3
         THEN p.org_id[1 + floor(bench.u(a.g, 29) * cardinality(p.org_id))::int] END,
    a.received_at,
    CASE WHEN c.level >= 1 THEN a.received_at + make_interval(secs => d.o1 * d.scale) END,
    CASE WHEN c.level >= 1 THEN a.received_at + make_interval(secs => d.o1 * d.scale) + interval '2 hours' END,
    CASE WHEN c.level >= 2 AND b.status <> 'returned' THEN a.received_at + make_interval(secs => d.o2 * d.scale) END,
    a.received_at + make_interval(secs => c.limit_s),
    false,
    CASE WHEN c.level >= 4 THEN a.received_at + make_interval(secs => d.o4 * d.scale) END,
    CASE WHEN c.level >= 5 THEN a.received_at + make_interval(secs => d.o5 * d.scale) END,
    CASE WHEN c.level = 7 THEN a.received_at + make_interval(secs => d.o7 * d.scale) END,
    NULL::timestamptz,
    NULL::timestamptz,
    0,
    b.status <> 'closed' AND bench.u(a.g, 26) < 0.02,
    CASE WHEN bench.u(a.g, 27) < 0.03 THEN 1 ELSE 0 END,
    0,
    CASE WHEN c.level >= 4 THEN p.replies[1 + floor(bench.u(a.g, 30) * cardinality(p.replies))::int] ELSE '' END,
    NULL::bigint,
    NULL::bigint,
    NULL::jsonb,
    NULL::text,
    d.analysed_at,
    greatest(d.analysed_at, a.received_at + make_interval(secs => d.last * d.scale))
FROM p,
LATERAL (
    SELECT g,
           %(t0)s::timestamptz + make_interval(secs => ((g - 1) + bench.u(g, 0)) * %(step)s) AS received_at,
           %(span)s - ((g - 1) + bench.u(g, 0)) * %(step)s AS age,
           1 + floor(bench.u(g, 1) * cardinality(p.grid_id))::int AS gi,
           bench.u(g, 12) < 0.02 AS unresolved,
           bench.u(g, 10) < 0.4 AS to_dept,
           bench.u(g, 20) < 0.03 AS urgent
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
) a,
LATERAL (
    SELECT
        CASE WHEN bench.u(a.g, 13) < 0.6 THEN 'hotline' WHEN bench.u(a.g, 13) < 0.8 THEN 'portal'
             WHEN bench.u(a.g, 13) < 0.95 THEN 'grid' ELSE 'staff' END AS channel,
        CASE
            WHEN a.age < {RECENT_DAYS} * 86400 AND bench.u(a.g, 2) < {RECENT_OPEN} THEN
                CASE WHEN bench.u(a.g, 3) < 0.12 THEN 'accepted' WHEN bench.u(a.g, 3) < 0.24 THEN 'dispatched'
                     WHEN bench.u(a.g, 3) < 0.36 THEN 'signed_for' WHEN bench.u(a.g, 3) < 0.66 THEN 'handling'
                     WHEN bench.u(a.g, 3) < 0.68 THEN 'return_requested' WHEN bench.u(a.g, 3) < 0.70 THEN 'returned'
                     WHEN bench.u(a.g, 3) < 0.75 THEN 'extension_requested'
                     WHEN bench.u(a.g, 3) < 0.76 THEN 'screening_requested'
                     WHEN bench.u(a.g, 3) < 0.88 THEN 'replied' ELSE 'reviewed' END
            WHEN a.age >= {RECENT_DAYS} * 86400 AND bench.u(a.g, 2) < %(p_old)s THEN
                CASE WHEN bench.u(a.g, 3) < 0.15 THEN 'signed_for' WHEN bench.u(a.g, 3) < 0.60 THEN 'handling'
                     WHEN bench.u(a.g, 3) < 0.75 THEN 'extension_requested'
                     WHEN bench.u(a.g, 3) < 0.78 THEN 'return_requested'
                     WHEN bench.u(a.g, 3) < 0.80 THEN 'screening_requested'
                     WHEN bench.u(a.g, 3) < 0.90 THEN 'replied' ELSE 'reviewed' END
            ELSE 'closed'
        END AS status
) b,
LATERAL (
    SELECT k.kind,
           k.kind = 'report' OR bench.u(a.g, 16) < 0.02 AS anonymous,
           CASE WHEN b.channel = 'hotline' AND NOT (k.kind = 'report' OR bench.u(a.g, 16) < 0.02)
                THEN 1 + floor(bench.u(a.g, 17) * cardinality(p.phone_enc))::int ELSE 0 END AS phone,
           CASE b.status WHEN 'accepted' THEN 0 WHEN 'dispatched' THEN 1 WHEN 'returned' THEN 1
                         WHEN 'signed_for' THEN 2 WHEN 'return_requested' THEN 2 WHEN 'handling' THEN 3
                         WHEN 'extension_requested' THEN 3 WHEN 'screening_requested' THEN 3
                         WHEN 'replied' THEN 4 WHEN 'reviewed' THEN 5 ELSE 7 END AS level,
           b.status NOT IN ('accepted', 'returned') AS handled,
           CASE WHEN a.urgent THEN 86400 WHEN k.kind = 'enquiry' THEN 3 * 86400
                WHEN k.kind IN ('help', 'other') THEN 5 * 86400 ELSE 10 * 86400 END AS limit_s
    FROM (SELECT CASE WHEN b.channel = 'grid' THEN 'other'
                      WHEN bench.u(a.g, 14) < 0.64 THEN 'enquiry' WHEN bench.u(a.g, 14) < 0.93 THEN 'help'
                      WHEN bench.u(a.g, 14) < 0.98 THEN 'other' WHEN bench.u(a.g, 14) < 0.99 THEN 'complaint'
                      WHEN bench.u(a.g, 14) < 0.996 THEN 'suggestion' WHEN bench.u(a.g, 14) < 0.999 THEN 'report'
                      ELSE 'praise' END AS kind) k
) c,
LATERAL (
    SELECT o.*,
           CASE c.level WHEN 0 THEN 5 WHEN 1 THEN o.o1 WHEN 2 THEN o.o2 WHEN 3 THEN o.o3
                        WHEN 4 THEN o.o4 WHEN 5 THEN o.o5 ELSE o.o7 END AS last,
           least(1.0, 0.9 * a.age / CASE c.level WHEN 0 THEN 5 WHEN 1 THEN o.o1 WHEN 2 THEN o.o2 WHEN 3 THEN o.o3
                                     WHEN 4 THEN o.o4 WHEN 5 THEN o.o5 ELSE o.o7 END) AS scale,
           least(a.received_at + interval '5 seconds', %(now)s::timestamptz) AS analysed_at
    FROM (
        SELECT s.o1, s.o2, s.o2 + 600 + bench.u(a.g, 31) * 3600 AS o3, s.o4, s.o4 + s.r5 AS o5,
               s.o4 + s.r5 + s.r6 AS o6, s.o4 + s.r5 + s.r6 + 1800 AS o7
        FROM (
            SELECT 180 + bench.u(a.g, 4) * 14220 AS o1,
                   180 + bench.u(a.g, 4) * 14220
                       + CASE WHEN bench.u(a.g, 5) < 0.12 THEN 9000 + bench.u(a.g, 6) * 45000
                              ELSE 300 + bench.u(a.g, 6) * 6300 END AS o2,
                   180 + bench.u(a.g, 4) * 14220
                       + CASE WHEN bench.u(a.g, 5) < 0.12 THEN 9000 + bench.u(a.g, 6) * 45000
                              ELSE 300 + bench.u(a.g, 6) * 6300 END
                       + c.limit_s * (0.1 + bench.u(a.g, 7) * 1.05) AS o4,
                   3600 + bench.u(a.g, 8) * 68400 AS r5,
                   43200 + bench.u(a.g, 9) * 129600 AS r6
        ) s
    ) o
) d
"""

# Events of the tickets with ids in [lo, hi]: accept, dispatch (when dispatched) and the step that brought the
# ticket to its status (about 2.9 a ticket). Parameters: lo, hi, staff (ids), handlers (ids).
EVENTS = """
INSERT INTO tickets_ticketevent (action, from_status, to_status, actor_id, at, detail, note, ticket_id)
SELECT e.action, e.from_status, e.to_status, e.actor_id, e.at, e.detail, e.note, t.id
FROM tickets_ticket t
CROSS JOIN LATERAL (
    VALUES
        (1, 'accept', '', 'accepted', t.reporter_id, t.received_at, jsonb_build_object('channel', t.channel), ''),
        (2, 'dispatch', 'accepted', 'dispatched',
         (%(staff)s::bigint[])[1 + floor(bench.u(t.id, 40) * cardinality(%(staff)s::bigint[]))::int],
         t.dispatched_at,
         jsonb_build_object('handler_org_id', t.handler_org_id, 'handler_region_id', t.handler_region_id), ''),
        (3,
         CASE t.status WHEN 'closed' THEN 'close' WHEN 'signed_for' THEN 'sign_for' WHEN 'handling' THEN 'handle'
                       WHEN 'return_requested' THEN 'request_return' WHEN 'returned' THEN 'approve_return'
                       WHEN 'extension_requested' THEN 'request_extension'
                       WHEN 'screening_requested' THEN 'request_screening' WHEN 'replied' THEN 'reply'
                       WHEN 'reviewed' THEN 'approve_reply' ELSE 'note' END,
         CASE t.status WHEN 'closed' THEN CASE WHEN t.anonymous THEN 'reviewed' ELSE 'followed_up' END
                       WHEN 'signed_for' THEN 'dispatched' WHEN 'handling' THEN 'signed_for'
                       WHEN 'return_requested' THEN 'signed_for' WHEN 'returned' THEN 'return_requested'
                       WHEN 'replied' THEN 'handling' WHEN 'reviewed' THEN 'replied' ELSE 'handling' END,
         t.status,
         CASE WHEN t.status IN ('closed', 'returned', 'reviewed')
              THEN (%(staff)s::bigint[])[1 + floor(bench.u(t.id, 41) * cardinality(%(staff)s::bigint[]))::int]
              ELSE (%(handlers)s::bigint[])[1 + floor(bench.u(t.id, 41) * cardinality(%(handlers)s::bigint[]))::int]
         END,
         t.updated_at,
         CASE WHEN t.status = 'extension_requested' THEN jsonb_build_object('days', 3) ELSE '{}'::jsonb END,
         CASE t.status WHEN 'replied' THEN t.reply WHEN 'extension_requested' THEN '需协调多部门，申请延期'
                       WHEN 'return_requested' THEN '不属于本单位职责' ELSE '' END)
) AS e(k, action, from_status, to_status, actor_id, at, detail, note)
WHERE t.id BETWEEN %(lo)s AND %(hi)s
  AND (e.k = 1 OR (e.k = 2 AND t.dispatched_at IS NOT NULL) OR (e.k = 3 AND t.status NOT IN ('accepted', 'dispatched')))
ORDER BY t.id, e.k
"""

# One follow-up per closed ticket that was not anonymous (the city calls back its own). Parameters: lo, hi, staff.
FOLLOW_UPS = """
INSERT INTO tickets_followup (solved, satisfied, answered_at, comment, by_id, by_source_id, ticket_id)
SELECT CASE WHEN bench.u(t.id, 50) < 0.85 THEN 'yes' WHEN bench.u(t.id, 50) < 0.93 THEN 'partly' ELSE 'no' END,
       CASE WHEN bench.u(t.id, 51) < 0.88 THEN 'yes' WHEN bench.u(t.id, 51) < 0.95 THEN 'basically' ELSE 'no' END,
       t.closed_at - least(interval '30 minutes', (t.closed_at - t.reviewed_at) / 2),
       CASE WHEN bench.u(t.id, 52) < 0.05 THEN '处理及时，态度很好' ELSE '' END,
       CASE WHEN t.source_id IS NULL
            THEN (%(staff)s::bigint[])[1 + floor(bench.u(t.id, 53) * cardinality(%(staff)s::bigint[]))::int] END,
       t.source_id,
       t.id
FROM tickets_ticket t
WHERE t.id BETWEEN %(lo)s AND %(hi)s AND t.status = 'closed' AND NOT t.anonymous
ORDER BY t.id
"""

# The idempotency rows of the hotline's tickets. Parameters: lo, hi, source_id.
EXTERNAL_IDS = """
INSERT INTO tickets_ticketexternalid (external_id, created_at, source_id, ticket_id)
SELECT t.external_id, t.received_at, t.source_id, t.id
FROM tickets_ticket t
WHERE t.id BETWEEN %(lo)s AND %(hi)s AND t.source_id = %(source_id)s AND t.external_id <> ''
ORDER BY t.id
"""

# The city heard that each of its closed tickets was closed: one delivered callback each. Parameters: lo, hi,
# source_id.
CALLBACKS = """
INSERT INTO tickets_callbackdelivery
    (event, payload, attempts, next_attempt_at, last_error, delivered_at, created_at, source_id, ticket_id)
SELECT 'closed',
       jsonb_build_object(
           'external_id', t.external_id, 'event', 'closed',
           'at', to_char(t.closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+08:00',
           'detail', jsonb_build_object('status', 'closed')),
       1, t.closed_at + interval '1 second', '', t.closed_at + interval '1 second', t.closed_at, t.source_id, t.id
FROM tickets_ticket t
WHERE t.id BETWEEN %(lo)s AND %(hi)s AND t.source_id = %(source_id)s AND t.status = 'closed'
      AND t.external_id <> ''
ORDER BY t.id
"""

# A year of audit entries, in time order: residents' records changed, revealed and exported, sign-ins,
# deliberation, charity and facility writes. Parameters: lo, hi, t0, step, grid_path, com_path, actor_id,
# actor_label, person_max.
AUDIT = """
WITH p AS MATERIALIZED (
    SELECT %(grid_path)s::text[] AS grid_path, %(com_path)s::text[] AS com_path,
           %(actor_id)s::bigint[] AS actor_id, %(actor_label)s::text[] AS actor_label
)
INSERT INTO audit_auditentry
    (at, actor_id, actor_label, action, object_type, object_id, object_label, region_path, changes, reason, ip,
     outcome)
SELECT
    a.at,
    CASE WHEN k.what = 'login_failed' THEN NULL ELSE p.actor_id[a.ai] END,
    CASE WHEN k.what = 'login_failed' THEN '' ELSE p.actor_label[a.ai] END,
    CASE k.what WHEN 'person_update' THEN 'update' WHEN 'person_reveal' THEN 'reveal'
                WHEN 'person_export' THEN 'export' WHEN 'household' THEN 'update' WHEN 'residence' THEN 'create'
                WHEN 'login' THEN 'login' WHEN 'logout' THEN 'logout' WHEN 'login_failed' THEN 'login_failed'
                WHEN 'comment' THEN 'create' WHEN 'claim' THEN 'create' WHEN 'facility' THEN 'update'
                ELSE 'update' END,
    CASE k.what WHEN 'person_update' THEN 'people.person' WHEN 'person_reveal' THEN 'people.person'
                WHEN 'person_export' THEN 'people.person' WHEN 'household' THEN 'people.household'
                WHEN 'residence' THEN 'people.residence' WHEN 'login' THEN 'accounts.user'
                WHEN 'logout' THEN 'accounts.user' WHEN 'login_failed' THEN 'accounts.user'
                WHEN 'comment' THEN 'deliberation.comment' WHEN 'claim' THEN 'charity.claim'
                WHEN 'facility' THEN 'circles.facility' ELSE 'regions.dwelling' END,
    CASE WHEN k.what IN ('login', 'logout') THEN p.actor_id[a.ai]::text
         WHEN k.what IN ('login_failed', 'person_export') THEN ''
         ELSE (1 + floor(bench.u(a.g, 103) * %(person_max)s))::bigint::text END,
    CASE WHEN k.what IN ('login', 'logout', 'login_failed') THEN '139****' || lpad((a.g %% 10000)::text, 4, '0')
         WHEN k.what = 'person_export' THEN (10 + floor(bench.u(a.g, 104) * 3000))::int::text
         ELSE '居民 ' || (1 + floor(bench.u(a.g, 103) * %(person_max)s))::bigint END,
    CASE WHEN k.what IN ('login', 'logout', 'login_failed') THEN ''
         WHEN k.what IN ('person_export', 'claim', 'facility')
              THEN p.com_path[1 + floor(bench.u(a.g, 105) * cardinality(p.com_path))::int]
         ELSE p.grid_path[1 + floor(bench.u(a.g, 105) * cardinality(p.grid_path))::int] END,
    CASE k.what
        WHEN 'person_update' THEN jsonb_build_object('phone', jsonb_build_object(
            'before', '139****' || lpad((a.g %% 9973)::text, 4, '0'),
            'after', '137****' || lpad((a.g %% 9967)::text, 4, '0')))
        WHEN 'person_reveal' THEN jsonb_build_object('field', 'id_number')
        WHEN 'person_export' THEN jsonb_build_object('count', (10 + floor(bench.u(a.g, 104) * 3000))::int,
                                                     'filters', 'tag=elderly')
        WHEN 'household' THEN jsonb_build_object('size', jsonb_build_object('before', 2, 'after', 3))
        WHEN 'facility' THEN jsonb_build_object('open_hours', jsonb_build_object('before', '8-17', 'after', '8-18'))
        ELSE '{}'::jsonb END,
    CASE k.what WHEN 'person_reveal' THEN '核实身份信息' WHEN 'person_export' THEN '高龄津贴名单' ELSE '' END,
    ('10.' || (a.g %% 7) || '.' || ((a.g / 7) %% 250) || '.' || (1 + (a.g / 1750) %% 250))::inet,
    CASE WHEN k.what = 'login_failed' THEN 'failed' ELSE 'ok' END
FROM p,
LATERAL (
    SELECT g,
           %(t0)s::timestamptz + make_interval(secs => ((g - 1) + bench.u(g, 100)) * %(step)s) AS at,
           1 + floor(bench.u(g, 102) * cardinality(p.actor_id))::int AS ai
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
) a,
LATERAL (
    SELECT CASE WHEN bench.u(a.g, 101) < 0.30 THEN 'person_update' WHEN bench.u(a.g, 101) < 0.38 THEN 'person_reveal'
                WHEN bench.u(a.g, 101) < 0.40 THEN 'person_export' WHEN bench.u(a.g, 101) < 0.50 THEN 'household'
                WHEN bench.u(a.g, 101) < 0.57 THEN 'residence' WHEN bench.u(a.g, 101) < 0.77 THEN 'login'
                WHEN bench.u(a.g, 101) < 0.82 THEN 'logout' WHEN bench.u(a.g, 101) < 0.83 THEN 'login_failed'
                WHEN bench.u(a.g, 101) < 0.88 THEN 'comment' WHEN bench.u(a.g, 101) < 0.93 THEN 'claim'
                WHEN bench.u(a.g, 101) < 0.98 THEN 'facility' ELSE 'dwelling' END AS what
) k
"""

# Secondary indexes and foreign keys of the loaded tables: dropped for the load (one sorted build per index,
# one check per constraint, instead of a per-row update and a per-row trigger), restored from these definitions.
INDEXES = """
SELECT c.relname AS tbl, i.relname AS name, pg_get_indexdef(i.oid) AS definition
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relname = ANY(%s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid AND k.conrelid = c.oid)
ORDER BY c.relname, i.relname
"""

FOREIGN_KEYS = """
SELECT c.relname AS tbl, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND k.contype = 'f' AND c.relname = ANY(%s) AND k.conparentid = 0
ORDER BY c.relname, k.conname
"""
