"""Synthetic reports of one hromada in every state, with their events and plausible times.

States follow a city's typical mix (most resolved, under 5 % still open, some rejected);
each report's milestones come in the procedure's order (submitted, moderated, routed, acknowledged,
answered) and its events are the ones its path through the procedure writes. Clocks of
open reports run against the present, so some are overdue, as in life.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from geoportal.municipalities.models import Municipality
from geoportal.reports.models import Report

Say = Callable[[str], object]
BATCH = 100_000

# (state, cumulative share): the last value must be 1.
MIX = [("new", 0.006), ("routed", 0.013), ("returned", 0.014), ("in_progress", 0.034),
       ("planned", 0.045), ("resolved", 0.815), ("not_resolved", 0.875), ("rejected", 0.945),
       ("duplicate", 0.975), ("out_of_competence", 1.0)]  # fmt: skip
ROUTED = "('routed','returned','in_progress','planned','resolved','not_resolved')"
ACKNOWLEDGED = "('returned','in_progress','planned','resolved','not_resolved')"
ANSWERED = "('planned','resolved','not_resolved')"


def _state_case(duplicates: bool) -> str:
    """The state drawn from `r`; without an original to point to, no duplicates yet."""
    cases = " ".join(
        f"WHEN r < {share} THEN '{state if duplicates or state != 'duplicate' else 'resolved'}'"
        for state, share in MIX
    )
    return f"CASE {cases} END"


REPORTS_SQL = """
WITH drawn AS (
    SELECT n, %(offset)s + %(start)s + n AS number, geom, random() AS r, random() AS t,
           random() AS u,
           (SELECT id FROM municipalities_category c WHERE c.municipality_id = %(m)s
            AND c.is_active ORDER BY c.sort_order OFFSET (n %% %(categories)s) LIMIT 1)
            AS category_id
    FROM (SELECT row_number() OVER () AS n, d.geom
          FROM municipalities_municipality m,
               ST_Dump(ST_GeneratePoints(m.boundary, %(size)s, %(seed)s + %(start)s)) d
          WHERE m.id = %(m)s) dumped
), shaped AS (
    SELECT d.*, {state} AS state,
           (SELECT rule.department_id FROM municipalities_routingrule rule
            WHERE rule.category_id = d.category_id AND rule.is_active
            ORDER BY rule.priority DESC LIMIT 1) AS rule_department
    FROM drawn d
), timed AS (
    SELECT s.*,
        -- Open reports are recent; closed ones spread evenly over two years.
        now() - CASE
            WHEN s.state = 'new' THEN interval '1 hour' * (1 + s.t * 72)
            WHEN s.state IN ('routed','returned') THEN interval '1 hour' * (24 + s.t * 150)
            WHEN s.state IN ('in_progress','planned') THEN interval '1 day' * (2 + s.t * 40)
            ELSE interval '1 day' * (3 + s.t * 727) END AS created,
        COALESCE(s.rule_department, %(fallback)s) AS department
    FROM shaped s
), milestones AS (
    SELECT x.*,
        CASE WHEN x.state <> 'new' THEN x.created + interval '1 hour' * (0.5 + x.u * 30) END
            AS moderated
    FROM timed x
), dated AS (
    SELECT y.*,
        CASE WHEN y.state IN {routed} THEN y.moderated END AS routed_at,
        CASE WHEN y.state IN {acknowledged}
             THEN y.moderated + interval '1 hour' * (2 + y.t * 60) END AS acknowledged,
        CASE WHEN y.state IN {answered}
             THEN y.moderated + interval '1 day' * (1 + y.u * 24) END AS answered
    FROM milestones y
)
INSERT INTO reports_report (point, location_source, title, description, address, language,
    reporter_name, reporter_email, reporter_phone, reporter_postal_address, show_name,
    is_formal_appeal, state, rejection_ground, competent_body, needs_study, planned_for,
    public_answer, clock, due_at, remind_at, was_overdue, moderated_at, first_routed_at,
    acknowledged_at, times_routed, times_returned, answer_due_at, ceiling_at, answered_at,
    answered_on_time, dispute_until, context, structure_without_valid_permit, tracking_code,
    idempotency_owner, idempotency_fingerprint, support_count, version, created_at, updated_at,
    category_id,
    department_id, duplicate_of_id, municipality_id, suggested_department_id)
SELECT geom, 'map', 'Синтетичне звернення ' || number, 'Опис проблеми ' || number, '', 'uk',
    '', 'resident' || number || '@synthetic.example.org', '', '', false, false, state,
    CASE WHEN state = 'rejected' THEN (ARRAY['not_a_problem','insufficient_data',
         'private_matter','spam_or_advertising'])[1 + (n %% 4)] ELSE '' END,
    CASE WHEN state = 'out_of_competence' THEN 'АТ «Обленерго»' ELSE '' END,
    n %% 5 = 0, CASE WHEN state = 'planned' THEN (answered + interval '30 days')::date END,
    CASE WHEN state IN ('resolved','not_resolved') THEN 'Відповідь виконавця' ELSE '' END,
    CASE state WHEN 'new' THEN 'moderation' WHEN 'routed' THEN 'acknowledgement'
               WHEN 'returned' THEN 'rerouting' WHEN 'in_progress' THEN 'answer' ELSE '' END,
    CASE state WHEN 'new' THEN created + interval '1 day'
               WHEN 'routed' THEN routed_at + interval '2 days'
               WHEN 'returned' THEN acknowledged + interval '1 day'
               WHEN 'in_progress' THEN routed_at + interval '15 days' END,
    CASE state WHEN 'new' THEN created
               WHEN 'routed' THEN routed_at + interval '1 day'
               WHEN 'returned' THEN acknowledged
               WHEN 'in_progress' THEN routed_at + interval '14 days' END,
    u < 0.08, moderated, routed_at, acknowledged,
    CASE WHEN routed_at IS NOT NULL THEN 1 ELSE 0 END,
    CASE WHEN state = 'returned' THEN 1 ELSE 0 END,
    routed_at + interval '15 days', routed_at + interval '45 days', answered,
    CASE WHEN answered IS NOT NULL THEN answered <= routed_at + interval '15 days' END,
    CASE WHEN state IN ('resolved','not_resolved') THEN answered + interval '14 days' END,
    '{{}}'::jsonb, false, substr(md5(%(seed)s || '-' || %(m)s || '-' || number), 1, 28), '',
    '', (n %% 7), 0, created, COALESCE(answered, acknowledged, moderated, created), category_id,
    CASE WHEN state IN {routed} THEN department END,
    CASE WHEN state = 'duplicate' THEN %(original)s::bigint END, %(m)s, rule_department
FROM dated
RETURNING id
"""

# One row per event of each report's path, in the order the procedure writes them.
EVENTS_SQL = f"""
INSERT INTO reports_reportevent (report_id, action, from_state, to_state, by_reporter, text,
    is_public, created_at)
SELECT id, 'submit', '', 'new', true, '', true, created_at
    FROM reports_report WHERE id BETWEEN %(low)s AND %(high)s
UNION ALL SELECT id, 'approve', 'new', 'routed', false, '', true, moderated_at
    FROM reports_report WHERE id BETWEEN %(low)s AND %(high)s AND state IN {ROUTED}
UNION ALL SELECT id, 'return', 'routed', 'returned', false, 'Не наш відділ', false,
    acknowledged_at FROM reports_report
    WHERE id BETWEEN %(low)s AND %(high)s AND state = 'returned'
UNION ALL SELECT id, 'accept', 'routed', 'in_progress', false, '', true, acknowledged_at
    FROM reports_report WHERE id BETWEEN %(low)s AND %(high)s
    AND state IN ('in_progress','planned','resolved','not_resolved')
UNION ALL SELECT id, 'plan', 'in_progress', 'planned', false, 'План робіт', true, answered_at
    FROM reports_report WHERE id BETWEEN %(low)s AND %(high)s AND state = 'planned'
UNION ALL SELECT id, CASE state WHEN 'resolved' THEN 'resolve' ELSE 'not_resolve' END,
    'in_progress', state, false, public_answer, true, answered_at
    FROM reports_report WHERE id BETWEEN %(low)s AND %(high)s
    AND state IN ('resolved','not_resolved')
UNION ALL SELECT id, CASE state WHEN 'rejected' THEN 'reject' WHEN 'duplicate'
    THEN 'mark_duplicate' ELSE 'out_of_competence' END, 'new', state, false, '', true,
    moderated_at FROM reports_report WHERE id BETWEEN %(low)s AND %(high)s
    AND state IN ('rejected','duplicate','out_of_competence')
"""  # noqa: S608
VERSIONS_SQL = """
UPDATE reports_report r SET version = e.n - 1
FROM (SELECT report_id, count(*) AS n FROM reports_reportevent
      WHERE report_id BETWEEN %(low)s AND %(high)s GROUP BY report_id) e
WHERE r.id = e.report_id
"""


def reports(municipality: Municipality, count: int, seed: int, say: Say) -> int:
    if count <= 0:
        return 0
    categories = municipality.categories.active().count()
    fallback = municipality.departments.active().values_list("pk", flat=True).first()
    made = 0
    # Numbers go on after the hromada's reports; duplicates point to an earlier report.
    offset = Report.objects.filter(municipality=municipality).count()
    original = (
        Report.objects.filter(municipality=municipality).order_by("pk")
        .values_list("pk", flat=True).first()
    )  # fmt: skip
    while made < count:
        # Without an earlier report, a first one on its own: the rest may duplicate it.
        size = 1 if original is None else min(BATCH, count - made)
        with transaction.atomic(), connection.cursor() as cursor:
            params = {"m": municipality.pk, "size": size, "seed": seed, "start": made,
                      "categories": categories, "fallback": fallback,
                      "original": original, "offset": offset}  # fmt: skip
            sql = REPORTS_SQL.format(state=_state_case(original is not None), routed=ROUTED,
                                     acknowledged=ACKNOWLEDGED, answered=ANSWERED)  # fmt: skip
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(EVENTS_SQL, {"low": min(ids), "high": max(ids)})
            cursor.execute(VERSIONS_SQL, {"low": min(ids), "high": max(ids)})
        original = original or min(ids)
        made += len(ids)
        say(f"reports: {made:,}/{count:,}")
    return made
