"""Every operation of the OpenAPI schema documents the errors it can answer with.

The API answers bad input with 400 ({"field": ["reason"]}), a missing sign-in with 401,
a refusal with 403, a missing object with 404, a state conflict with 409 and a reused
Idempotency-Key with 422 ({"detail": "..."}). Writing that on each of forty views would
be noise; this hook adds the ones an operation does not describe itself.
"""

from __future__ import annotations

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "What went wrong: `detail`, or a list of reasons per field name. A 409 "
    "about a report also gives its `state` and `version` now.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "integer"},
        ]
    },
}
ERRORS = {
    "400": "Bad input; each field is named with the reason, and nothing was changed.",
    "401": "Sign in first (session or token); a token that expired or was revoked (password "
    "changed, account deactivated) is refused too.",
    "403": "Not allowed for this person.",
    "404": "Not found, or not visible to this person.",
    "405": "This method is not offered here.",
    "409": "Not possible in the report's current state, or it changed meanwhile.",
    "422": "The Idempotency-Key was already used for a different report.",
    "429": "Too many requests (a rate limit per device, session, account or address, or "
    "sign-in paused after wrong passwords); try again after the seconds in Retry-After.",
}
TOO_MANY = {
    "type": "object",
    "description": "A rate limit's refusal, in the client's language. Every 429 also carries "
    "the Retry-After header (seconds).",
    "properties": {
        "detail": {"type": "string", "description": "What was counted and when to retry."},
        "counted": {
            "type": "string",
            "enum": ["device", "session", "account", "address", "key"],
            "description": "Which limit was reached (absent for a sign-in lockout).",
        },
        "retry_after": {"type": "integer", "description": "Seconds to wait."},
        "retry_at": {"type": "string", "format": "date-time"},
    },
    "required": ["detail"],
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"], schemas["TooManyRequests"] = PROBLEM, TOO_MANY
    problem = {"$ref": "#/components/schemas/Problem"}
    too_many = {"$ref": "#/components/schemas/TooManyRequests"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status in {"409", "422", "429"} and method == "get":
                    continue
                answer: dict[str, Any] = {
                    "description": description,
                    "content": {
                        "application/json": {"schema": too_many if status == "429" else problem}
                    },
                }
                if status == "429":
                    answer["headers"] = RETRY_AFTER
                responses.setdefault(status, answer)
    return result
