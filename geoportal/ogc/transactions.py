"""OGC API – Features, Part 4: planners add, replace, change and delete their hromada's
features from QGIS (3.32 and later) or any other client of the standard.

    POST   /ogc/collections/{maf|advertising|land|zoning}/items       201, Location, ETag
    PUT    /ogc/collections/{…}/items/{id}     a whole Feature         204, ETag
    PATCH  /ogc/collections/{…}/items/{id}     a JSON merge patch      204, ETag
    DELETE /ogc/collections/{…}/items/{id}                             204
    OPTIONS on both: Allow lists what this person may do on this collection

GET and HEAD go to the read-only views (geoportal/ogc/views.py) unchanged; an item's GET
gains its ETag here. The reports and permit-applications collections stay read-only (405).

Who may write: a person signed in by an API token (HTTP Basic with the token as password,
or `Authorization: Token`, geoportal/ogc/auth.py) or by the site's session (with the CSRF
token), holding the model permission add/change/delete of the layer (planning editors) and
working for a hromada. They reach only their hromada's features: another's is not found
(404), and a geometry lying in another hromada is refused (403).

Optimistic locking (conformance class optimistic-locking-etags): PUT, PATCH and DELETE
with an If-Match that is not the feature's current ETag fail with 412 and change nothing.
A write without If-Match is carried out: QGIS sends none, and refusing it (428) would
leave QGIS unable to save at all; the ETag is there for every client that sends it.

Every write goes through the rules of the admin and the importer (geoportal/ogc/editing.py)
and leaves a history row with the person and the change reason "OGC API".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from geoportal.municipalities.models import Municipality
from geoportal.ogc import auth, conformance, crs, editing, views
from geoportal.ogc.collections import COLLECTIONS
from geoportal.ogc.editing import WriteError, invalid
from layers.models import LayerFeature
from layers.registry import LAYERS, LayerSpec

CONFORMANCE = conformance.WRITING
CHANGE_REASON = "OGC API"
READS = ["GET", "HEAD", "OPTIONS"]
# Bodies of writes: a Feature (POST, PUT) or a merge patch (PATCH; a Feature is taken too).
FEATURE_TYPES = {"application/geo+json", "application/json"}
PATCH_TYPES = {"application/merge-patch+json", *FEATURE_TYPES}
WRITES = {False: ("POST",), True: ("PUT", "PATCH", "DELETE")}


def problem(status: int, code: str, description: str, **headers: str) -> JsonResponse:
    """An OGC exception document; headers such as Allow or ETag ride along."""
    response = JsonResponse({"code": code, "description": description}, status=status,
                            json_dumps_params={"ensure_ascii": False})  # fmt: skip
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def refused(refusal: WriteError) -> JsonResponse:
    """The OGC exception document of a refused write, with its reasons by property."""
    body: dict[str, Any] = {"code": refusal.code, "description": refusal.description}
    if refusal.errors:
        body["errors"] = refusal.errors
    return JsonResponse(body, status=refusal.status, json_dumps_params={"ensure_ascii": False})


def empty(status: int, **headers: str) -> HttpResponse:
    """An answer without a body (no Content-Type either)."""
    response = HttpResponse(status=status)
    del response["Content-Type"]
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def unauthorized(reason: str) -> JsonResponse:
    """401 with the Basic challenge, so that QGIS asks for the user name and token."""
    return problem(401, "Unauthorized", reason, WWW_Authenticate=auth.CHALLENGE)


# --- what a person may do -------------------------------------------------------------


def rights(who: auth.Caller, collection_id: str) -> set[str]:
    """The layer model's permissions add/change/delete the person holds, for a hromada they
    work for; none for the reports and permit applications, the public and staff without a
    hromada."""
    spec = LAYERS.get(collection_id)
    if spec is None or not who.signed_in:
        return set()
    if not Municipality.objects.active().staffed_by(who.user).exists():
        return set()
    opts = spec.model._meta
    return {action for action in ("add", "change", "delete")
            if who.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")}  # fmt: skip


def allowed(held: set[str], item: bool) -> list[str]:
    methods = list(READS)
    if not item and "add" in held:
        methods.append("POST")
    if item and "change" in held:
        methods += ["PUT", "PATCH"]
    if item and "delete" in held:
        methods.append("DELETE")
    return methods


# --- the endpoints ----------------------------------------------------------------------


@csrf_exempt
def items_endpoint(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _endpoint(request, collection_id, None)


@csrf_exempt
def item_endpoint(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    return _endpoint(request, collection_id, feature_id)


def _endpoint(request: HttpRequest, collection_id: str, feature_id: str | None) -> HttpResponse:
    method = request.method or "GET"
    if method in ("GET", "HEAD"):
        return _read(request, collection_id, feature_id)
    if collection_id not in COLLECTIONS:
        return problem(404, "NotFound", f"No collection {collection_id!r}; see /ogc/collections.")
    item = feature_id is not None
    try:
        who = auth.caller(request)
    except auth.CredentialsError as wrong:
        return unauthorized(str(wrong))
    may = allowed(rights(who, collection_id), item)
    if method == "OPTIONS":
        response = empty(200, Allow=", ".join(may))
        if item and "PATCH" in may:
            response["Accept-Patch"] = "application/merge-patch+json"
        return response
    spec = LAYERS.get(collection_id)
    if spec is None or method not in WRITES[item]:
        return problem(405, "MethodNotAllowed",
                       _("%(method)s is not supported here.") % {"method": method},
                       Allow=", ".join(may))  # fmt: skip
    if not who.signed_in:
        return unauthorized(_("Editing needs your user name and API token (HTTP Basic)."))
    if method not in may:
        return problem(403, "Forbidden", _("You may not %(method)s features of this "
                                           "collection.") % {"method": method})  # fmt: skip
    if who.via == "session" and (reason := auth.csrf_refusal(request)):
        return problem(403, "Forbidden", f"CSRF: {reason}")
    try:
        if feature_id is None:
            return _create(request, spec, who.user)
        if method == "DELETE":
            return _delete(request, spec, who.user, feature_id)
        return _change(request, spec, who.user, feature_id, replace=method == "PUT")
    except WriteError as refusal:
        return refused(refusal)


def _read(request: HttpRequest, collection_id: str, feature_id: str | None) -> HttpResponse:
    """The read-only view's answer; a layer's item as GeoJSON with its ETag (the version
    If-Match names), and HEAD as GET without the body."""
    head = request.method == "HEAD"
    request.method = "GET"
    if feature_id is None:
        response = views.items(request, collection_id)
    else:
        response = views.item(request, collection_id, feature_id)
    spec = LAYERS.get(collection_id)
    geojson = response.get("Content-Type", "").startswith(views.GEOJSON)
    if feature_id is not None and spec is not None and response.status_code == 200 and geojson:
        tag = editing.version(spec.model, feature_id)
        if tag is not None:
            response["ETag"] = tag
            if tag in _tags(request.headers.get("If-None-Match")):
                response = empty(304, ETag=tag)
    if head:
        bare = HttpResponse(status=response.status_code)
        for name, value in response.items():
            if name.lower() != "content-length":
                bare[name] = value
        return bare
    return response


def _tags(header: str | None) -> list[str]:
    return [tag.strip() for tag in (header or "").split(",") if tag.strip()]


# --- the writes -------------------------------------------------------------------------


def _sent(request: HttpRequest, *, patch: bool) -> editing.Sent:
    """The request's feature (or patch), refused with 413, 415 or 400 as the case may be."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    most = _("A feature may be at most %(size)s bytes.") % {"size": limit}
    too_big = WriteError(413, "PayloadTooLarge", most)
    if limit is not None and length > limit:
        raise too_big
    kinds = PATCH_TYPES if patch else FEATURE_TYPES
    if request.content_type not in kinds:
        wrong_kind = _("Send %(kinds)s, not %(kind)r.") % {
            "kinds": " or ".join(sorted(kinds)), "kind": request.content_type or ""}  # fmt: skip
        raise WriteError(415, "UnsupportedMediaType", wrong_kind)
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_big from None
    try:
        system = crs.parse(request.headers.get("Content-Crs"), "Content-Crs")
    except crs.CrsError as wrong:
        raise WriteError(400, "InvalidParameterValue", str(wrong)) from None
    return editing.read_feature(editing.parse_body(body), system, patch=patch)


def _save(feature: LayerFeature, user: Any) -> None:
    feature._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    feature._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            feature.save()
    except IntegrityError as exc:  # a race with another write: the constraint is named
        name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) or ""
        raise invalid({"feature": _("the database refused it (%(rule)s).") % {
            "rule": name or _("a constraint")}}) from None  # fmt: skip


def _address(request: HttpRequest, spec: LayerSpec, pk: Any) -> str:
    return request.build_absolute_uri(f"/ogc/collections/{spec.kind.value}/items/{pk}")


def _create(request: HttpRequest, spec: LayerSpec, user: Any) -> HttpResponse:
    sent = _sent(request, patch=False)
    assert sent.geometry is not None
    municipality = editing.hromada_for(user, sent)
    values = editing.converted(spec, sent.properties)
    feature: Any = spec.model(municipality=municipality)
    editing.apply(spec, feature, values, replace=False)
    editing.set_geometry(spec, feature, sent.geometry)
    editing.check(spec, feature)
    _save(feature, user)
    return empty(
        201,
        Location=_address(request, spec, feature.pk),
        ETag=editing.version(spec.model, feature.pk) or "",
    )


def _locked(spec: LayerSpec, user: Any, feature_id: str) -> Any:
    """The feature, locked until the transaction ends, if it is of an active hromada the
    person works for; another's is not found for them, like one that does not exist."""
    theirs = Municipality.objects.active().staffed_by(user)
    found = None
    if feature_id.isdigit():
        manager: Any = spec.model._default_manager
        found = (manager.select_for_update(of=("self",)).select_related("municipality")
                 .filter(pk=int(feature_id), municipality__in=theirs).first())  # fmt: skip
    if found is None:
        raise WriteError(404, "NotFound", f"No feature {feature_id!r} in {spec.kind.value}.")
    return found


def _precondition(request: HttpRequest, spec: LayerSpec, feature: Any) -> str | None:
    """The feature's ETag; 412 when If-Match names another version."""
    current = editing.version(spec.model, feature.pk)
    wanted = _tags(request.headers.get("If-Match"))
    if wanted and "*" not in wanted and current not in wanted:
        raise WriteError(412, "PreconditionFailed", _(
            "The feature was changed since you read it (its ETag is now %(tag)s): read it "
            "again and redo your change.") % {"tag": current})  # fmt: skip
    return current


def _change(request: HttpRequest, spec: LayerSpec, user: Any, feature_id: str, *,
            replace: bool) -> HttpResponse:  # fmt: skip
    with transaction.atomic():
        feature = _locked(spec, user, feature_id)
        _precondition(request, spec, feature)
        sent = _sent(request, patch=not replace)
        values = editing.converted(spec, sent.properties)
        editing.apply(spec, feature, values, replace=replace)
        if sent.geometry is not None:
            editing.refuse_foreign(user, sent.geometry)
            editing.set_geometry(spec, feature, sent.geometry)
        editing.check(spec, feature)
        _save(feature, user)
    return empty(204, ETag=editing.version(spec.model, feature.pk) or "")


def _delete(request: HttpRequest, spec: LayerSpec, user: Any, feature_id: str) -> HttpResponse:
    with transaction.atomic():
        feature = _locked(spec, user, feature_id)
        _precondition(request, spec, feature)
        feature._change_reason = CHANGE_REASON
        feature._history_user = user
        feature.delete()
    return empty(204)
