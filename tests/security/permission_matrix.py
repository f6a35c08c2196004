"""Who may do what: every role × every URL pattern of the site, written down once.

Each row names a URL pattern (its namespaced name; `.format` marks the DRF variant with a
format suffix), a method, a concrete path (placeholders in braces are objects of
tests/security/world.py) and the roles allowed. Every other role is denied, in the way the
row's `deny` says; roles in `hidden` are instead told the object does not exist (404, or in
the admin a redirect to its index). tests/security/test_permission_matrix.py runs every
cell and fails when a URL pattern of the project has no row here: a new endpoint needs a
written-down expectation first (deny by default).

Department A is zhkg (worker_a, head_a), B is arch (worker_b); everyone on the staff works
for Pokrovsk; "admin" is a superuser with no role of the procedure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

ROLES = (
    "anonymous",
    "resident",
    "moderator",
    "worker_a",
    "worker_b",
    "head_a",
    "planner",
    "coordinator",
    "admin",
)

EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
ADMIN = frozenset({"admin"})
# is_staff: may enter the Django admin at all.
STAFF = EVERYONE - {"anonymous", "resident"}
# The department's own people and the staff of the whole hromada (Report.objects.staff_scope).
DEPARTMENT_A = frozenset({"worker_a", "head_a"})
WORK_ON_A = DEPARTMENT_A | {"moderator", "coordinator", "admin"}
# A new report is not public: only moderation (and the superuser) see it.
SEE_NEW = frozenset({"moderator", "coordinator", "admin"})
# Who may be shown a report's private parts (the reporter's name, e-mail and phone, internal
# notes): the staff who work on it. Every cell's answer is searched for the others' markers
# (tests/security/world.py files each group's reports with markers of its own).
PRIVATE_PARTS = {
    "alpha": WORK_ON_A,  # reports routed to department A
    "bravo": frozenset({"worker_b", "moderator", "coordinator", "admin"}),  # to B
    "novel": SEE_NEW,  # a new report, routed to nobody yet
    "oscar": ADMIN,  # a new report of another hromada
    # A permit applicant's contacts: the permit department (arch: worker_b) and the
    # coordinator of the hromada, and the superuser in the admin.
    "quebec": frozenset({"worker_b", "coordinator", "admin"}),  # Pokrovsk's applications
    "romeo": ADMIN,  # the other hromada's application
    # A land plot's user (a private person): only those who edit the layer see it.
    "lima": frozenset({"planner", "admin"}),  # Pokrovsk's plot
    "papa": ADMIN,  # the other hromada's plot
}
# Staff who read the reference data, the layers and reports in the admin.
READ_REFERENCE = STAFF - {"planner"}
READ_LAYERS = STAFF


class Deny(Enum):
    """How a role outside `allow` is refused."""

    FORBIDDEN = "403 to everyone"
    HIDDEN = "404 to everyone: the view does not tell the object exists"
    SIGN_IN = "anonymous: redirect to /login/; signed in: 403"
    ADMIN = "not staff: redirect to /admin/login/; staff: 403"
    READ_ONLY = "anonymous: 403 (writing needs an account); signed in: 405"
    NO_WRITES = "405 to everyone: the endpoint only reads"
    TOKEN = "anonymous: 401 with the Basic challenge (editing needs a token); signed in: 403"
    RESIDENT = "anonymous: redirect to the residents' sign-in; signed in, not a resident: 403"


@dataclass(frozen=True)
class Row:
    pattern: str
    method: str
    path: str
    allow: frozenset[str]
    deny: Deny = Deny.FORBIDDEN
    hidden: frozenset[str] = NOBODY
    body: dict[str, Any] | None = None
    # What an allowed role gets: 2xx/3xx (a redirect never to sign-in), or a validation
    # error that only comes after the permission check.
    ok: tuple[int, ...] = (200,)
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def get(pattern: str, path: str, allow: frozenset[str], **more: Any) -> Row:
    return Row(pattern, "GET", path, allow, **more)


def post(pattern: str, path: str, allow: frozenset[str], **more: Any) -> Row:
    return Row(pattern, "POST", path, allow, **more)


def act(
    action: str,
    report: str,
    body: dict[str, Any],
    allow: frozenset[str],
    seen_by: frozenset[str] = EVERYONE,
) -> Row:
    """An action of the procedure on a report in a state it starts from. Those who do not
    see the report get 404, those who see it but may not act 403 (api/actions.py)."""
    name = action.replace("_", "-")
    return post(
        f"api:report-{name}",
        f"/api/v1/reports/{{{report}}}/{action}/",
        allow,
        hidden=EVERYONE - seen_by - allow,
        body=body,
    )


def read_only(pattern: str, path: str, deny: Deny = Deny.READ_ONLY) -> Row:
    return post(pattern, path, NOBODY, deny=deny, body={})


PUBLIC_API = [
    get("api:api-root", "/api/v1/", EVERYONE),
    get("api:api-root.format", "/api/v1/.json", EVERYONE),
    get("api:schema", "/api/v1/schema/", EVERYONE),
    get("api:swagger-ui", "/api/v1/docs/", EVERYONE),
    get("api:municipality-list", "/api/v1/municipalities/", EVERYONE),
    get("api:municipality-list.format", "/api/v1/municipalities.json", EVERYONE),
    read_only("api:municipality-list", "/api/v1/municipalities/"),
    get("api:municipality-detail", "/api/v1/municipalities/pokrovsk/", EVERYONE),
    get("api:municipality-detail.format", "/api/v1/municipalities/pokrovsk.json", EVERYONE),
    get("api:department-list", "/api/v1/departments/", EVERYONE),
    get("api:department-list.format", "/api/v1/departments.json", EVERYONE),
    read_only("api:department-list", "/api/v1/departments/"),
    get("api:department-detail", "/api/v1/departments/{zhkg}/", EVERYONE),
    get("api:department-detail.format", "/api/v1/departments/{zhkg}.json", EVERYONE),
    get("api:category-list", "/api/v1/categories/", EVERYONE),
    get("api:category-list.format", "/api/v1/categories.json", EVERYONE),
    read_only("api:category-list", "/api/v1/categories/"),
    get("api:category-detail", "/api/v1/categories/{category}/", EVERYONE),
    get("api:category-detail.format", "/api/v1/categories/{category}.json", EVERYONE),
    get("api:layer-list", "/api/v1/layers/", EVERYONE),
    get("api:layer-maf", "/api/v1/layers/maf/", EVERYONE),
    read_only("api:layer-maf", "/api/v1/layers/maf/", Deny.NO_WRITES),
    get("api:layer-advertising", "/api/v1/layers/advertising/", EVERYONE),
    get("api:layer-land", "/api/v1/layers/land/", EVERYONE),
    get("api:layer-zoning", "/api/v1/layers/zoning/", EVERYONE),
    get("api:layer-export", "/api/v1/layers/maf/export.csv", EVERYONE),
    get(
        "api:layer-unknown",
        "/api/v1/layers/roads/",
        NOBODY,
        deny=Deny.HIDDEN,
        note="no such layer, for anyone",
    ),
    get("api:identify", "/api/v1/identify/?lat=48.2771&lon=37.1772", EVERYONE),
    get("api:place-list", "/api/v1/places/?q=48.2771,37.1772", EVERYONE),
    get("api:report-map", "/api/v1/reports/map/?bbox=37.1,48.2,37.3,48.4&zoom=14", EVERYONE),
    get("api:statistics-list", "/api/v1/reports/statistics/", EVERYONE),
    get("api:statistics-export", "/api/v1/reports/statistics/export.csv", EVERYONE),
    get("api:report-export", "/api/v1/reports/export.geojson", EVERYONE),
    post(
        "api:token-create",
        "/api/v1/auth/token/",
        EVERYONE,
        body={},
        ok=(400,),
        note="signing in: no password, 400",
    ),
    get("api:report-list", "/api/v1/reports/", EVERYONE),
    post(
        "api:report-list",
        "/api/v1/reports/",
        EVERYONE,
        ok=(201,),
        body={
            "category": "lighting",
            "title": "Темно",
            "description": "Біля школи.",
            "lat": 48.2771,
            "lon": 37.1772,
            "reporter_email": "someone@example.org",
        },
    ),
    get(
        "api:report-nearby",
        "/api/v1/reports/nearby/?lat=48.2771&lon=37.1772&category=lighting",
        EVERYONE,
    ),
    post(
        "api:report-photo-location",
        "/api/v1/reports/photo-location/",
        EVERYONE,
        body={},
        ok=(400,),
        note="no photo sent: 400",
    ),
    get("health", "/health/", EVERYONE),
]

REPORTS_API = [
    get("api:report-detail", "/api/v1/reports/{routed_a}/", EVERYONE),
    get("api:report-detail", "/api/v1/reports/{new}/", SEE_NEW, deny=Deny.HIDDEN),
    get(
        "api:report-detail",
        "/api/v1/reports/{new_other}/",
        ADMIN,
        deny=Deny.HIDDEN,
        note="a new report of another hromada: Pokrovsk's staff do not see it",
    ),
    # Moderation, on a new report.
    act("approve", "new", {"department": "zhkg"}, frozenset({"moderator"}), SEE_NEW),
    act("reject", "new", {"ground": "not_a_problem"}, frozenset({"moderator"}), SEE_NEW),
    act("mark_duplicate", "new", {"original": "{routed_a}"}, frozenset({"moderator"}), SEE_NEW),
    act(
        "out_of_competence",
        "new",
        {"competent_body": "Обленерго"},
        frozenset({"moderator"}),
        SEE_NEW,
    ),
    act(
        "redact",
        "new",
        {"title": "Без даних", "description": "Без даних."},
        frozenset({"moderator"}),
        SEE_NEW,
    ),
    act("hide_photo", "new", {"photo": "{photo}"}, frozenset({"moderator"}), SEE_NEW),
    act("comment", "new", {"text": "Нотатка"}, frozenset({"moderator", "coordinator"}), SEE_NEW),
    act("approve", "new_other", {"department": "zhkg"}, NOBODY, ADMIN),
    # The department's, on reports routed to A (and one to B).
    act("accept", "routed_a", {"needs_study": False}, DEPARTMENT_A),
    act("accept", "routed_b", {"needs_study": False}, frozenset({"worker_b"})),
    act("return", "routed_a", {"reason": "Не наше"}, DEPARTMENT_A),
    # The head assigns worker A; worker A takes it themself; anyone else is refused.
    act("assign", "routed_a", {"assignee": "{worker_a_id}"}, DEPARTMENT_A),
    act(
        "plan",
        "progress_a",
        {"planned_for": "{in_a_week}", "justification": "Бригада."},
        DEPARTMENT_A,
    ),
    act("resolve", "progress_a", {"answer": "Зроблено."}, DEPARTMENT_A),
    act("not_resolve", "progress_a", {"reason": "Немає коштів."}, DEPARTMENT_A),
    act(
        "extend",
        "progress_a",
        {"new_due": "{in_30_days}", "reason": "Підрядник."},
        frozenset({"head_a", "coordinator"}),
    ),
    act("comment", "routed_a", {"text": "Нотатка"}, DEPARTMENT_A | {"moderator", "coordinator"}),
    act(
        "reopen",
        "disputed_a",
        {"comment": "Перевірити ще раз."},
        frozenset({"moderator", "coordinator"}),
    ),
    # The reporter's: the tracking code is the key; without it, the reporter's own account.
    act(
        "dispute",
        "resolved_a",
        {"tracking_code": "{tracking_resolved_a}", "comment": "Не зроблено."},
        EVERYONE,
    ),
    act("dispute", "resolved_a", {"comment": "Не зроблено."}, frozenset({"resident"})),
    # Anyone's, on a public open report.
    act("support", "routed_a", {}, EVERYONE),
    act("follow", "routed_a", {"email": "follower@example.org"}, EVERYONE),
    # Staff queues.
    get(
        "api:queue-moderation",
        "/api/v1/reports/queue/moderation/",
        frozenset({"moderator", "coordinator"}),
    ),
    get(
        "api:queue-department",
        "/api/v1/reports/queue/department/",
        frozenset({"worker_a", "worker_b", "head_a"}),
        note="the person's own department",
    ),
    get(
        "api:queue-department",
        "/api/v1/reports/queue/department/?department=zhkg",
        DEPARTMENT_A | {"coordinator"},
    ),
    get("api:queue-overdue", "/api/v1/reports/queue/overdue/", frozenset({"coordinator"})),
]

OPEN311 = [
    get("open311:discovery", "/open311/v2/discovery.json", EVERYONE),
    get("open311:service-list", "/open311/v2/services.xml", EVERYONE),
    get("open311:service-detail", "/open311/v2/services/lighting.json", EVERYONE),
    get("open311:request-list", "/open311/v2/requests.json", EVERYONE),
    post(
        "open311:request-list",
        "/open311/v2/requests.json",
        NOBODY,
        body={
            "service_code": "lighting",
            "lat": "48.2771",
            "long": "37.1772",
            "description": "Темно",
        },
        note="no API key: 403, whoever is signed in",
    ),
    post(
        "open311:request-list",
        "/open311/v2/requests.json",
        EVERYONE,
        ok=(201,),
        body={
            "api_key": "{api_key}",
            "service_code": "lighting",
            "lat": "48.2771",
            "long": "37.1772",
            "description": "Темно біля школи",
        },
    ),
    get("open311:request-detail", "/open311/v2/requests/{routed_a}.json", EVERYONE),
    get(
        "open311:request-detail",
        "/open311/v2/requests/{new}.json",
        NOBODY,
        deny=Deny.HIDDEN,
        note="not public; staff read it in the API, not in Open311",
    ),
    get(
        "open311:request-detail",
        "/open311/v2/requests/{new}.json?api_key={api_key}",
        EVERYONE,
        note="the client that filed it reads it back",
    ),
    get("open311:token-detail", "/open311/v2/tokens/{open311_token}.json", EVERYONE),
    get("open311:unknown", "/open311/v2/nothing.json", NOBODY, deny=Deny.HIDDEN),
]

OGC_TILES_OPEN_DATA = [
    get("ogc:landing", "/ogc/", EVERYONE),
    get("ogc:api", "/ogc/api", EVERYONE),
    get("ogc:conformance", "/ogc/conformance", EVERYONE),
    get("ogc:collection-list", "/ogc/collections", EVERYONE),
    get("ogc:collection-detail", "/ogc/collections/reports", EVERYONE),
    get("ogc:item-list", "/ogc/collections/reports/items", EVERYONE),
    get("ogc:item-detail", "/ogc/collections/reports/items/{routed_a}", EVERYONE),
    get(
        "ogc:item-detail",
        "/ogc/collections/reports/items/{new}",
        NOBODY,
        deny=Deny.HIDDEN,
        note="public reports only, whoever asks",
    ),
    get("tiles:tile-detail", "/tiles/maf/14/9883/5678.mvt", EVERYONE, ok=(200, 204)),
    get("basemap:tile-detail", "/tiles/base/14/9883/5678.mvt", EVERYONE, ok=(200, 204)),
    get("opendata:catalog-page", "/open-data/", EVERYONE),
    get("opendata:catalog-json", "/open-data/catalog.json", EVERYONE),
    post("set_language", "/i18n/setlang/", EVERYONE, body={"language": "en"}, ok=(302,)),
]

# OGC API – Features Part 4: planning editors write their hromada's features (the superuser
# every hromada's); another hromada's feature does not exist for a planner's writes (404),
# a feature placed in another hromada is refused (403). OPTIONS answers everyone with what
# they may do (tests/ogc/test_edit_rules.py checks the Allow of each role).
EDITORS = frozenset({"planner", "admin"})
POKROVSK_CENTRE, POKROV_CENTRE = (37.1772, 48.2771), (34.1149, 47.6547)


def _kiosk(centre: tuple[float, float], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(centre)},
            "properties": {"passport_number": "МАФ-2026-777", **properties}}  # fmt: skip


def ogc_write(method: str, path: str, allow: frozenset[str], **more: Any) -> Row:
    pattern = "ogc:item-list" if path.endswith("/items") else "ogc:item-detail"
    return Row(pattern, method, path, allow, deny=Deny.TOKEN, **more)


def ogc_rows() -> list[Row]:
    maf = "/ogc/collections/maf/items"
    rows = [
        Row("ogc:item-list", "OPTIONS", maf, EVERYONE),
        Row("ogc:item-detail", "OPTIONS", f"{maf}/{{kiosk}}", EVERYONE),
        Row("ogc:item-detail", "OPTIONS", f"{maf}/{{other_kiosk}}", EVERYONE),
        ogc_write("POST", maf, EDITORS, body=_kiosk(POKROVSK_CENTRE, passport_number="МАФ-9"),
                  ok=(201,)),
        ogc_write("POST", maf, ADMIN, body=_kiosk(POKROV_CENTRE, passport_number="МАФ-9"),
                  ok=(201,), note="a feature placed in another hromada: 403 to its planner"),
    ]  # fmt: skip
    for prefix, allow, centre in (("", EDITORS, POKROVSK_CENTRE), ("other_", ADMIN, POKROV_CENTRE)):
        hidden = EDITORS - allow
        for layer, key in (("maf", "kiosk"), ("land", "plot")):
            path = f"/ogc/collections/{layer}/items/{{{prefix}{key}}}"
            patch = {"properties": {"address" if layer == "maf" else "purpose_text": "Змінено"}}
            rows += [
                ogc_write("PATCH", path, allow, hidden=hidden, body=patch, ok=(204,)),
                ogc_write("DELETE", path, allow, hidden=hidden, ok=(204,)),
            ]
        rows.append(ogc_write("PUT", f"/ogc/collections/maf/items/{{{prefix}kiosk}}", allow,
                              hidden=hidden, body=_kiosk(centre, address="Замінено"),
                              ok=(204,)))  # fmt: skip
    reports = "/ogc/collections/reports/items"
    rows += [Row("ogc:item-list", "POST", reports, NOBODY, deny=Deny.NO_WRITES, body={})]
    for method in ("PUT", "PATCH", "DELETE"):
        rows.append(Row("ogc:item-detail", method, f"{reports}/{{routed_a}}", NOBODY,
                        deny=Deny.NO_WRITES, body={}))  # fmt: skip
    return rows


# Report photos: only through the checked view, which tells whoever may not see a photo
# now that it does not exist; the old /media/ addresses lead there, or to nothing.
PHOTOS = [
    get("photos:photo-image", "/photos/{photo_public}/photo.jpg", EVERYONE),
    get("photos:photo-thumbnail", "/photos/{photo_public}/thumbnail.jpg", EVERYONE),
    read_only("photos:photo-image", "/photos/{photo_public}/photo.jpg", Deny.NO_WRITES),
    get(
        "photos:photo-image",
        "/photos/{photo}/photo.jpg",
        SEE_NEW,
        deny=Deny.HIDDEN,
        note="a report in moderation",
    ),
    get("photos:photo-thumbnail", "/photos/{photo}/thumbnail.jpg", SEE_NEW, deny=Deny.HIDDEN),
    get(
        "photos:photo-image",
        "/photos/{photo_hidden}/photo.jpg",
        WORK_ON_A,
        deny=Deny.HIDDEN,
        note="hidden by the moderator: the staff who work on the report still see it",
    ),
    get(
        "photos:photo-thumbnail",
        "/photos/{photo_hidden}/thumbnail.jpg",
        WORK_ON_A,
        deny=Deny.HIDDEN,
    ),
    get(
        "photos:photo-image",
        "/photos/{photo_other}/photo.jpg",
        ADMIN,
        deny=Deny.HIDDEN,
        note="another hromada's report in moderation",
    ),
    get(
        "media-file",
        "/media/{photo_public_name}",
        EVERYONE,
        ok=(301,),
        note="an old direct address: to the checked URL",
    ),
    get("media-file", "/media/{photo_name}", SEE_NEW, deny=Deny.HIDDEN, ok=(301,)),
    get("media-file", "/media/{photo_hidden_name}", WORK_ON_A, deny=Deny.HIDDEN, ok=(301,)),
    get(
        "media-file",
        "/media/layers/maf/kiosk.jpg",
        NOBODY,
        deny=Deny.HIDDEN,
        note="layer photos: nginx serves them in production, Django only with DEBUG",
    ),
]

PAGES = [
    get("frontend:home", "/", EVERYONE),
    get("frontend:investors-list", "/investors/", EVERYONE),
    get("frontend:map-detail", "/m/pokrovsk/", EVERYONE),
    get("frontend:investors-detail", "/m/pokrovsk/investors/", EVERYONE),
    get("frontend:report-new", "/report/", EVERYONE),
    get("frontend:report-new-in", "/en/m/pokrovsk/report/", EVERYONE),
    get("frontend:report-detail", "/reports/{routed_a}/", EVERYONE),
    get(
        "frontend:report-detail",
        "/reports/{new}/",
        NOBODY,
        deny=Deny.HIDDEN,
        note="the public page; staff open the console",
    ),
    get("frontend:report-track", "/reports/track/{tracking_routed_a}/", EVERYONE),
    post(
        "frontend:report-track",
        "/reports/track/{tracking_resolved_a}/",
        EVERYONE,
        body={"comment": "Не зроблено."},
        ok=(302,),
        note="the link is the reporter's key",
    ),
    get("frontend:follow-unsubscribe", "/reports/unsubscribe/{follow_token}/", EVERYONE),
    post("frontend:follow-unsubscribe", "/reports/unsubscribe/{follow_token}/", EVERYONE, body={}),
    get("frontend:login", "/login/", EVERYONE),
    get(
        "frontend:login-code",
        "/login/code/",
        EVERYONE,
        note="no sign-in waits for a code: the page says it has expired",
    ),
    post("frontend:login", "/login/", EVERYONE, body={}, note="empty form: shown again"),
    post("frontend:logout", "/logout/", EVERYONE, body={}, ok=(302,)),
    # Staff consoles (frontend/staff/access.py). The superuser has no console: it has no
    # municipality or department; it works in the admin.
    get(
        "frontend:staff-home",
        "/staff/",
        STAFF - ADMIN,
        deny=Deny.SIGN_IN,
        ok=(302,),
        note="to the person's own console",
    ),
    get(
        "frontend:staff-moderation",
        "/staff/moderation/",
        frozenset({"moderator", "coordinator"}),
        deny=Deny.SIGN_IN,
    ),
    get(
        "frontend:staff-department",
        "/staff/department/",
        frozenset({"worker_a", "worker_b", "head_a", "coordinator"}),
        deny=Deny.SIGN_IN,
    ),
    get(
        "frontend:staff-tasks",
        "/staff/tasks/",
        frozenset({"worker_a", "worker_b", "head_a"}),
        deny=Deny.SIGN_IN,
        note="each one's own tasks",
    ),
    # Residents' updates wait for the hromada's moderators (the transitions table's Actor).
    get("frontend:staff-updates", "/staff/updates/", frozenset({"moderator"}), deny=Deny.SIGN_IN),
    post(
        "frontend:staff-update-decide",
        "/staff/updates/{update}/",
        frozenset({"moderator"}),
        deny=Deny.SIGN_IN,
        body={"decision": "approve"},
        ok=(302,),
    ),
    post(
        "frontend:staff-update-decide",
        "/staff/updates/{update_other}/",
        NOBODY,
        deny=Deny.SIGN_IN,
        hidden=frozenset({"moderator"}),
        body={"decision": "approve"},
        note="another hromada's update is not found",
    ),
    get(
        "frontend:staff-department",
        "/staff/department/?department=zhkg",
        DEPARTMENT_A | {"coordinator"},
        deny=Deny.SIGN_IN,
    ),
    get(
        "frontend:staff-report", "/staff/reports/{routed_a}/", WORK_ON_A - ADMIN, deny=Deny.SIGN_IN
    ),
    get("frontend:staff-report", "/staff/reports/{new}/", SEE_NEW - ADMIN, deny=Deny.SIGN_IN),
    get(
        "frontend:staff-dashboard",
        "/staff/dashboard/",
        frozenset({"coordinator"}),
        deny=Deny.SIGN_IN,
    ),
    get(
        "frontend:staff-layers",
        "/staff/layers/",
        frozenset({"planner", "coordinator"}),
        deny=Deny.SIGN_IN,
    ),
    get("frontend:staff-audit", "/staff/audit/", frozenset({"coordinator"}), deny=Deny.SIGN_IN),
    get(
        "frontend:staff-two-factor",
        "/staff/two-factor/",
        STAFF,
        deny=Deny.SIGN_IN,
        note="each one's own two-factor setting",
    ),
]

# The Django admin: who sees each model's change list, and who may open its "add" form.
LAYER = (READ_LAYERS, frozenset({"planner", "admin"}))
KEEP_TEMPLATES = frozenset({"head_a", "coordinator", "admin"})
ADMIN_MODELS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "accounts.user": (ADMIN, ADMIN),
    "auth.group": (ADMIN, ADMIN),
    "authtoken.tokenproxy": (ADMIN, ADMIN),
    "axes.accessattempt": (ADMIN, NOBODY),
    "axes.accessfailurelog": (ADMIN, NOBODY),
    "axes.accesslog": (ADMIN, NOBODY),
    "procrastinate.procrastinatejob": (ADMIN, NOBODY),
    "open311.apikey": (ADMIN, ADMIN),
    "otp_totp.totpdevice": (ADMIN, ADMIN),
    "municipalities.municipality": (READ_REFERENCE | {"planner"}, ADMIN),
    "municipalities.department": (READ_REFERENCE, frozenset({"coordinator", "admin"})),
    "municipalities.category": (READ_REFERENCE, frozenset({"coordinator", "admin"})),
    "municipalities.routingrule": (READ_REFERENCE, frozenset({"coordinator", "admin"})),
    # Response templates: the coordinator the hromada's, a head their departments'.
    "municipalities.responsetemplate": (KEEP_TEMPLATES, KEEP_TEMPLATES),
    # Reports are read in the admin, within each person's scope; nobody adds one there.
    "reports.report": (READ_REFERENCE, NOBODY),
    "reports.notification": (frozenset({"coordinator", "admin"}), NOBODY),
    "layers.temporarystructure": LAYER,
    "layers.advertisingstructure": LAYER,
    "layers.landplot": LAYER,
    "layers.zoningzone": LAYER,
    "layers.layerpassport": (READ_LAYERS, ADMIN),
    # Import runs: the planning department and the coordinator read them; nobody adds one.
    "layers.importrun": (frozenset({"planner", "coordinator", "admin"}), NOBODY),
    # E-permits: applications are filed by applicants and decided in the officers' console;
    # the admin shows them, their numbering and the hromada's settings to the administrator.
    "permits.application": (ADMIN, NOBODY),
    "permits.permitcounter": (ADMIN, NOBODY),
    "permits.permitsettings": (ADMIN, ADMIN),
}


def admin_rows() -> list[Row]:
    rows = [get("admin:index", "/admin/", STAFF, deny=Deny.ADMIN)]
    for model, (viewers, adders) in ADMIN_MODELS.items():
        app, name = model.split(".")
        base = f"/admin/{app}/{name}/"
        url = f"admin:{app}_{name}"
        rows.append(get(f"{url}_changelist", base, viewers, deny=Deny.ADMIN))
        rows.append(get(f"{url}_add", base + "add/", adders, deny=Deny.ADMIN))
    return rows


ADMIN_OBJECTS = [
    # A report is read by those who work on it; anyone else on the staff with the
    # permission is told it does not exist (the admin's redirect to its index).
    get(
        "admin:reports_report_change",
        "/admin/reports/report/{routed_a}/change/",
        WORK_ON_A,
        deny=Deny.ADMIN,
        hidden=frozenset({"worker_b"}),
    ),
    get(
        "admin:reports_report_change",
        "/admin/reports/report/{new}/change/",
        SEE_NEW,
        deny=Deny.ADMIN,
        hidden=frozenset({"worker_a", "worker_b", "head_a"}),
    ),
    # The coordinator edits their own hromada's departments, categories and routing; another
    # hromada's are not shown to the staff of this one.
    post(
        "admin:municipalities_department_change",
        "/admin/municipalities/department/{zhkg}/change/",
        frozenset({"coordinator", "admin"}),
        deny=Deny.ADMIN,
        body={},
        ok=(200, 400),
        note="empty form: shown again with its errors",
    ),
    get(
        "admin:municipalities_department_change",
        "/admin/municipalities/department/{other_department}/change/",
        ADMIN,
        deny=Deny.ADMIN,
        hidden=READ_REFERENCE - ADMIN,
    ),
    post(
        "admin:municipalities_department_change",
        "/admin/municipalities/department/{other_department}/change/",
        ADMIN,
        deny=Deny.ADMIN,
        hidden=frozenset({"coordinator"}),
        body={},
        ok=(200, 400),
        note="those who may change no department are refused before it is looked up",
    ),
    get(
        "admin:municipalities_category_change",
        "/admin/municipalities/category/{other_category}/change/",
        ADMIN,
        deny=Deny.ADMIN,
        hidden=READ_REFERENCE - ADMIN,
    ),
    get(
        "admin:layers_temporarystructure_change",
        "/admin/layers/temporarystructure/{kiosk}/change/",
        READ_LAYERS,
        deny=Deny.ADMIN,
    ),
    post(
        "admin:layers_temporarystructure_change",
        "/admin/layers/temporarystructure/{kiosk}/change/",
        frozenset({"planner", "admin"}),
        deny=Deny.ADMIN,
        body={},
        ok=(200, 400),
        note="empty form: shown again with its errors",
    ),
    get(
        "admin:layers-import",
        "/admin/layers/layerpassport/import/",
        frozenset({"planner", "admin"}),
        deny=Deny.ADMIN,
    ),
    get(
        "admin:layers-conflicts",
        "/admin/layers/layerpassport/conflicts/",
        READ_LAYERS,
        deny=Deny.ADMIN,
    ),
    get(
        "admin:layers-quarters",
        "/admin/layers/layerpassport/quarters/",
        READ_LAYERS,
        deny=Deny.ADMIN,
        note="the land checks per cadastral quarter (their own hromada)",
    ),
    get(
        "admin:layers-quarters",
        "/admin/layers/layerpassport/quarters/?format=csv",
        READ_LAYERS,
        deny=Deny.ADMIN,
    ),
    # Nobody, the superuser included, is shown a two-factor key (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    get(
        "admin:otp_totp_totpdevice_config",
        "/admin/otp_totp/totpdevice/{totp_device}/config/",
        NOBODY,
        deny=Deny.ADMIN,
    ),
    get(
        "admin:otp_totp_totpdevice_qrcode",
        "/admin/otp_totp/totpdevice/{totp_device}/qrcode/",
        NOBODY,
        deny=Deny.ADMIN,
    ),
    get(
        "admin:auth_user_password_change",
        "/admin/accounts/user/{resident_id}/password/",
        ADMIN,
        deny=Deny.ADMIN,
    ),
]


def hromada_rows() -> list[Row]:
    """Every object-bearing page of the admin, asked with an object of the cast's hromada
    and with the same kind of object of the other hromada (Pokrov). Nobody of Pokrovsk's
    staff reads, reverts or even learns of the other's objects (the admin's "does not exist"
    redirect); the superuser sees both. A version's revert needs the right to change the
    layer: reading it is not enough."""
    editors = frozenset({"planner", "admin"})
    layers = {"landplot": "plot", "temporarystructure": "kiosk"}
    rows: list[Row] = []
    for model, key in layers.items():
        base = f"/admin/layers/{model}/"
        name = f"admin:layers_{model}"
        for prefix, allow in (("", READ_LAYERS), ("other_", ADMIN)):
            hidden = READ_LAYERS - allow
            obj, version = f"{{{prefix}{key}}}", f"{{{prefix}{key}_version}}"
            rows += [
                get(f"{name}_change", f"{base}{obj}/change/", allow, deny=Deny.ADMIN,
                    hidden=hidden),
                get(f"{name}_history", f"{base}{obj}/history/", allow, deny=Deny.ADMIN,
                    hidden=hidden),
                get(f"{name}_simple_history", f"{base}{obj}/history/{version}/", allow,
                    deny=Deny.ADMIN, hidden=hidden),
                post(f"{name}_simple_history", f"{base}{obj}/history/{version}/",
                     allow & editors, deny=Deny.ADMIN, hidden=hidden, body={},
                     ok=(200, 302), note="a revert: the version's form, sent back"),
            ]  # fmt: skip
    for model, key, viewers in (
        ("layers/layerpassport", "passport", READ_LAYERS),
        ("municipalities/department", "other_department", READ_REFERENCE),
        ("municipalities/category", "other_category", READ_REFERENCE),
        ("reports/report", "new_other", READ_REFERENCE),
    ):
        app, name = model.split("/")
        for prefix in ("", "other_") if key == "passport" else ("",):
            path = f"/admin/{model}/{{{prefix}{key}}}/history/"
            allow = ADMIN if prefix or key != "passport" else viewers
            # Django's history page looks the object up before it checks the permission:
            # whoever may not see it, even without the permission, is told it does not exist.
            hidden = STAFF - allow if allow == ADMIN else viewers - allow
            rows.append(get(f"admin:{app}_{name}_history", path, allow, deny=Deny.ADMIN,
                            hidden=hidden))  # fmt: skip
    rows.append(get("admin:layers_layerpassport_change",
                    "/admin/layers/layerpassport/{other_passport}/change/", ADMIN,
                    deny=Deny.ADMIN, hidden=READ_LAYERS - ADMIN))  # fmt: skip
    readers = frozenset({"planner", "coordinator", "admin"})
    base = "/admin/layers/importrun/"
    for prefix in ("", "other_"):
        run = f"{{{prefix}run}}"
        allow = readers if not prefix else ADMIN
        hidden = readers - allow  # another hromada's run: it does not exist for them
        rows += [
            get("admin:layers_importrun_change", f"{base}{run}/change/", allow,
                deny=Deny.ADMIN, hidden=hidden),
            get("admin:layers_importrun_report", f"{base}{run}/report.csv", allow,
                deny=Deny.ADMIN, hidden=hidden),
            get("admin:layers_importrun_revert", f"{base}{run}/revert/",
                allow & frozenset({"planner", "admin"}), deny=Deny.ADMIN, hidden=hidden),
            post("admin:layers_importrun_revert", f"{base}{run}/revert/",
                 allow & frozenset({"planner", "admin"}), deny=Deny.ADMIN, hidden=hidden,
                 body={}, ok=(302,), note="undoing a whole run needs the right to edit"),
        ]  # fmt: skip
    rows.append(get("admin:layers-conflicts",
                    "/admin/layers/layerpassport/conflicts/?municipality=pokrov", ADMIN,
                    deny=Deny.ADMIN, hidden=READ_LAYERS - ADMIN,
                    note="another hromada's conflict report"))  # fmt: skip
    rows.append(get("admin:layers-conflicts",
                    "/admin/layers/layerpassport/conflicts/?municipality=pokrov&format=csv",
                    ADMIN, deny=Deny.ADMIN, hidden=READ_LAYERS - ADMIN))  # fmt: skip
    for query in ("?municipality=pokrov", "?municipality=pokrov&format=csv"):
        rows.append(get("admin:layers-quarters", f"/admin/layers/layerpassport/quarters/{query}",
                        ADMIN, deny=Deny.ADMIN, hidden=READ_LAYERS - ADMIN,
                        note="another hromada's quarters"))  # fmt: skip
    return rows


# URL patterns without a row. In the admin: each person's own sign-in pages, the helpers of
# the pages checked above, and the per-object pages of the models, which apply the same
# ModelAdmin permissions as the change lists and add forms above (the objects whose reading
# is scoped per person have rows in ADMIN_OBJECTS).
WITHOUT_ROW = (
    r"^admin:(login|logout|password_change|password_change_done)$",
    r"^admin:(autocomplete|jsi18n|view_on_site|app_list)$",
    r"^admin:\w+_(change|delete|history|simple_history)$",
    r"^admin:<unnamed> admin/",  # an object's old URL, redirecting; the catch-all 404
)

# Residents' accounts (geoportal/residents): the sign-in and its link are open to all (the
# mailed link is the key), the account's own pages only to a resident's account (the cast's
# resident has one; staff have none), the Atom feeds to all.
RESIDENT = frozenset({"resident"})
RESIDENTS = [
    get("residents:signin", "/residents/sign-in/", EVERYONE),
    get("residents:signin", "/en/residents/sign-in/?sent=1", EVERYONE),
    post("residents:signin", "/residents/sign-in/", EVERYONE, body={}, ok=(400,),
         note="no e-mail given: 400"),
    post("residents:signin", "/residents/sign-in/", EVERYONE, ok=(302,),
         body={"email": "someone@example.org"}, note="the same answer for any address"),
    get("residents:link", "/residents/sign-in/{signin_token}/", EVERYONE),
    post("residents:link", "/residents/sign-in/{signin_token}/", EVERYONE, ok=(302,),
         body={}, note="the mailed link is the key: it signs in as its resident"),
    get("residents:reports", "/residents/reports/", RESIDENT, deny=Deny.RESIDENT),
    get("residents:reports", "/en/residents/reports/", RESIDENT, deny=Deny.RESIDENT),
    get("residents:account-delete", "/residents/account/delete/", RESIDENT, deny=Deny.RESIDENT),
    post("residents:account-delete", "/residents/account/delete/", RESIDENT, body={},
         deny=Deny.RESIDENT, ok=(302,)),
    get("residents:feed-hromada", "/feeds/m/pokrovsk/", EVERYONE),
    get("residents:feed-hromada", "/en/feeds/m/pokrovsk/", EVERYONE),
    get("residents:feed-hromada", "/feeds/m/{other_slug}/", EVERYONE,
        note="the other hromada's feed: its new report (oscar) is not in it"),
    get("residents:feed-hromada", "/feeds/m/no-such-hromada/", NOBODY, deny=Deny.HIDDEN),
    get("residents:feed-category", "/feeds/m/pokrovsk/categories/lighting/", EVERYONE),
    get("residents:feed-category", "/feeds/m/pokrovsk/categories/no-such/", NOBODY,
        deny=Deny.HIDDEN),
    get("residents:feed-area", "/feeds/reports/?bbox=37.1,48.2,37.3,48.4", EVERYONE),
    get("residents:feed-area", "/feeds/reports/?bbox=37.3,48.2,37.1", EVERYONE, ok=(400,),
        note="a box that is not one: 400 naming bbox"),
    # Area alerts: the resident's own page; the unsubscribe link is the key (GET asks, POST
    # unsubscribes: RFC 8058's one-click POST comes without a page, so no CSRF token).
    get("residents:alerts", "/residents/alerts/", RESIDENT, deny=Deny.RESIDENT),
    get("residents:alerts", "/en/residents/alerts/", RESIDENT, deny=Deny.RESIDENT),
    post("residents:alerts", "/residents/alerts/", RESIDENT, body={}, deny=Deny.RESIDENT,
         ok=(400,), note="an empty form: 400"),
    post("residents:alerts", "/residents/alerts/", RESIDENT, deny=Deny.RESIDENT, ok=(302,),
         body={"municipality": "pokrovsk", "area": "hromada", "frequency": "daily"}),
    post("residents:alert-delete", "/residents/alerts/{alert}/delete/", RESIDENT, body={},
         deny=Deny.RESIDENT, ok=(302,)),
    post("residents:alert-delete", "/residents/alerts/{alert_other}/delete/", NOBODY, body={},
         deny=Deny.RESIDENT, hidden=RESIDENT, note="another resident's alert is not found"),
    get("residents:alert-unsubscribe", "/alerts/unsubscribe/{alert_token}/", EVERYONE),
    post("residents:alert-unsubscribe", "/alerts/unsubscribe/{alert_token}/", EVERYONE,
         body={"List-Unsubscribe": "One-Click"}),
    get("residents:alert-unsubscribe", "/alerts/unsubscribe/no-such-token/", NOBODY,
        deny=Deny.HIDDEN),
    # Residents' updates: a resident's account adds one to a public report (the reporter also
    # to their own new one); another's new report is not found.
    post("residents:report-update", "/reports/{routed_a}/updates/", RESIDENT, deny=Deny.RESIDENT,
         body={"text": "Досі не прибрали"}, ok=(302,)),
    post("residents:report-update", "/reports/{new_other}/updates/", NOBODY, deny=Deny.RESIDENT,
         hidden=RESIDENT, body={"text": "Досі не прибрали"}),
]  # fmt: skip

# The officers' side of e-permits (frontend/staff/permits): the permit department of the
# kind (PermitSettings.department, by default arch: worker_b) and the coordinator of the
# same hromada; the other hromada's application is refused to all. The actions post the
# version the officer saw; the coordinator only comments, annulling is a head's.
PERMIT_STAFF = frozenset({"worker_b", "coordinator"})
PERMITS_STAFF = [
    get("frontend:staff-permits", "/staff/permits/", PERMIT_STAFF, deny=Deny.SIGN_IN),
    get("frontend:staff-permits", "/staff/permits/?state=all&kind=maf&overdue=on",
        PERMIT_STAFF, deny=Deny.SIGN_IN),
    get("frontend:staff-permit", "/staff/permits/{permit}/", PERMIT_STAFF, deny=Deny.SIGN_IN),
    get("frontend:staff-permit", "/staff/permits/{permit_granted}/", PERMIT_STAFF,
        deny=Deny.SIGN_IN),
    get("frontend:staff-permit", "/staff/permits/{permit_other}/", NOBODY, deny=Deny.SIGN_IN,
        note="another hromada's application"),
    get("frontend:staff-permit-document", "/staff/permits/{permit}/documents/{permit_document}/",
        PERMIT_STAFF, deny=Deny.SIGN_IN, note="a PDF, as an attachment"),
    get("frontend:staff-permit-document",
        "/staff/permits/{permit_other}/documents/{permit_other_document}/", NOBODY,
        deny=Deny.SIGN_IN, note="another hromada's document"),
    post("frontend:staff-permit-act", "/staff/permits/{permit}/register/",
         frozenset({"worker_b"}), deny=Deny.SIGN_IN, body={"version": "{permit_version}"}),
    post("frontend:staff-permit-act", "/staff/permits/{permit}/comment/", PERMIT_STAFF,
         deny=Deny.SIGN_IN, body={"version": "{permit_version}", "text": "Нотатка"}),
    post("frontend:staff-permit-act", "/staff/permits/{permit_granted}/annul/", NOBODY,
         deny=Deny.SIGN_IN, body={"version": "{permit_granted_version}", "text": "Анульовано"},
         note="the head's alone (no head of arch in the cast)"),
    post("frontend:staff-permit-act", "/staff/permits/{permit_other}/register/", NOBODY,
         deny=Deny.SIGN_IN, body={"version": "{permit_other_version}"},
         note="another hromada's application"),
]  # fmt: skip

# The public register of permit applications (geoportal/permits/register.py): anyone reads
# the registered applications (not a submission: {permit} and {permit_other} are submitted),
# never the applicant's contacts (the "quebec" markers of {permit_person}, a natural person's
# application under review). The statistics are the coordinator's and the permit
# department's (arch: worker_b), of their own hromada only.
PERMIT_REGISTER = [
    get("frontend:permit-register", "/permits/register/", EVERYONE),
    get("frontend:permit-register", "/en/permits/register/?municipality=pokrovsk&kind=maf"
        "&state=under_review", EVERYONE),
    get("frontend:permit-register", "/permits/register/?state=submitted", EVERYONE,
        note="a state never public: said beside the filter, the whole register shown"),
    read_only("frontend:permit-register", "/permits/register/", Deny.NO_WRITES),
    get("permits:under-review", "/permits/under-review.geojson", EVERYONE),
    get("permits:under-review", "/permits/under-review.geojson?municipality=pokrovsk", EVERYONE),
    get("permits:under-review", "/permits/under-review.geojson?municipality=nowhere", NOBODY,
        deny=Deny.HIDDEN),
    get("permits:under-review", "/permits/under-review.geojson?bbox=37,48,36", EVERYONE,
        ok=(400,), note="a box that is not one: 400 naming bbox"),
    read_only("permits:under-review", "/permits/under-review.geojson", Deny.NO_WRITES),
    get("api:permit-export", "/api/v1/permits/export.csv", EVERYONE),
    get("api:permit-export", "/api/v1/permits/export.geojson?municipality=pokrovsk", EVERYONE),
    get("api:permit-export", "/api/v1/permits/export.gpkg?municipality={other_slug}", EVERYONE),
    read_only("api:permit-export", "/api/v1/permits/export.csv", Deny.NO_WRITES),
    get("api:permit-statistics", "/api/v1/permits/statistics/", PERMIT_STAFF),
    get("api:permit-statistics", "/api/v1/permits/statistics/?municipality=pokrovsk"
        "&start=2026-01-01&end=2026-12-31", PERMIT_STAFF),
    get("api:permit-statistics", "/api/v1/permits/statistics/?municipality={other_slug}",
        NOBODY, note="another hromada's statistics"),
    get("ogc:collection-detail", "/ogc/collections/permit-applications", EVERYONE),
    get("ogc:item-list", "/ogc/collections/permit-applications/items", EVERYONE),
    get("ogc:item-list", "/ogc/collections/permit-applications/items?bbox=37.1,48.2,37.3,48.4",
        EVERYONE),
    get("ogc:item-detail", "/ogc/collections/permit-applications/items/{permit_granted}",
        EVERYONE),
    get("ogc:item-detail", "/ogc/collections/permit-applications/items/{permit_person}",
        EVERYONE, note="a natural person's application: listed, the person not named"),
    get("ogc:item-detail", "/ogc/collections/permit-applications/items/{permit}", NOBODY,
        deny=Deny.HIDDEN, note="submitted, not registered: not public"),
    get("ogc:item-detail", "/ogc/collections/permit-applications/items/{permit_other}", NOBODY,
        deny=Deny.HIDDEN),
    Row("ogc:item-list", "POST", "/ogc/collections/permit-applications/items", NOBODY,
        deny=Deny.NO_WRITES, body={}),
    Row("ogc:item-detail", "DELETE",
        "/ogc/collections/permit-applications/items/{permit_granted}", NOBODY,
        deny=Deny.NO_WRITES, body={}),
]  # fmt: skip

# The applicants' side of e-permits (frontend/permits): the procedures and the pre-check are
# open to all; the form and My applications need a resident's account (the sign-in leads
# back to the form); the tracking page and its two actions need only the tracking code (the
# code is the secret: any other is not found). Pokrovsk's applications carry the quebec
# markers: their contact person is shown on none of these pages.
PRECHECK = {
    "kind": "terrace",
    "municipality": "pokrovsk",
    "area_m2": 24,
    "site": {"type": "Point", "coordinates": [37.1772, 48.2771]},
}
PERMITS_APPLICANT = [
    get("frontend:permits-list", "/permits/", EVERYONE),
    get("frontend:permits-list", "/en/permits/?municipality={other_slug}", EVERYONE),
    get("frontend:permit-apply", "/permits/apply/terrace/", RESIDENT, deny=Deny.RESIDENT),
    get("frontend:permit-apply", "/en/permits/apply/advertising/?municipality={other_slug}",
        RESIDENT, deny=Deny.RESIDENT),
    get("frontend:permit-apply", "/permits/apply/castle/", NOBODY, deny=Deny.HIDDEN,
        note="no such kind of permit, for anyone"),
    post("frontend:permit-apply", "/permits/apply/maf/", RESIDENT, deny=Deny.RESIDENT, body={},
         ok=(400,), note="an empty form: 400 naming each field"),
    get("frontend:permits-mine", "/permits/mine/", RESIDENT, deny=Deny.RESIDENT),
    get("frontend:permit-track", "/permits/a/{permit_code}/", EVERYONE),
    get("frontend:permit-track", "/en/permits/a/{permit_granted_code}/", EVERYONE),
    get("frontend:permit-track", "/permits/a/{permit_own_code}/", EVERYONE,
        note="the resident's own: the code, not the account, opens it"),
    get("frontend:permit-track", "/permits/a/no-such-code/", NOBODY, deny=Deny.HIDDEN),
    post("frontend:permit-withdraw", "/permits/a/{permit_code}/withdraw/", EVERYONE, ok=(302,),
         body={"version": "{permit_version}"}, note="the tracking code is the applicant's key"),
    post("frontend:permit-withdraw", "/permits/a/{permit_granted_code}/withdraw/", EVERYONE,
         ok=(409,), body={}, note="granted: no longer in review"),
    post("frontend:permit-withdraw", "/permits/a/no-such-code/withdraw/", NOBODY,
         deny=Deny.HIDDEN, body={}),
    post("frontend:permit-installation", "/permits/a/{permit_granted_code}/installation/",
         EVERYONE, ok=(400,), body={}, note="no photo: 400 naming it"),
    post("frontend:permit-installation", "/permits/a/no-such-code/installation/", NOBODY,
         deny=Deny.HIDDEN, body={}),
    post("api:permit-precheck", "/api/v1/permits/precheck/", EVERYONE, body=PRECHECK),
    post("api:permit-precheck", "/api/v1/permits/precheck/", EVERYONE, body={}, ok=(400,),
         note="nothing sent: 400 naming kind, municipality and site"),
    get("api:permit-precheck", "/api/v1/permits/precheck/", NOBODY, deny=Deny.NO_WRITES,
        note="POST only: 405 to a GET"),
]  # fmt: skip

MATRIX: list[Row] = [
    *PUBLIC_API,
    *REPORTS_API,
    *OPEN311,
    *OGC_TILES_OPEN_DATA,
    *ogc_rows(),
    *PHOTOS,
    *PAGES,
    *RESIDENTS,
    *PERMITS_STAFF,
    *PERMIT_REGISTER,
    *PERMITS_APPLICANT,
    *admin_rows(),
    *ADMIN_OBJECTS,
    *hromada_rows(),
]


@dataclass(frozen=True)
class Expected:
    status: int
    location: str = ""  # the path a redirect must go to


def denial(row: Row, role: str) -> Expected:
    """The answer a role outside `row.allow` must get."""
    if role in row.hidden:
        return Expected(302, "/admin/") if row.deny is Deny.ADMIN else Expected(404)
    signed_in = role != "anonymous"
    if row.deny is Deny.HIDDEN:
        return Expected(404)
    if row.deny is Deny.TOKEN and not signed_in:
        return Expected(401)
    if row.deny is Deny.SIGN_IN and not signed_in:
        return Expected(302, "/login/")
    if row.deny is Deny.RESIDENT and not signed_in:
        prefix = "/en" if row.path.startswith("/en/") else ""  # in the page's language
        return Expected(302, f"{prefix}/residents/sign-in/")
    if row.deny is Deny.ADMIN and role not in STAFF:
        return Expected(302, "/admin/login/")
    if row.deny is Deny.NO_WRITES or (row.deny is Deny.READ_ONLY and signed_in):
        return Expected(405)
    return Expected(403)
