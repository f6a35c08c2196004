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
    "401": "Sign in first (session or token).",
    "403": "Not allowed for this person.",
    "404": "Not found, or not visible to this person.",
    "405": "This method is not offered here.",
    "409": "Not possible in the report's current state, or it changed meanwhile.",
    "422": "The Idempotency-Key was already used for a different report.",
    "429": "Too many requests from this address or account (a rate limit, or sign-in paused "
    "after wrong passwords); try again after the seconds in Retry-After.",
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"$ref": "#/components/schemas/Problem"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status in {"409", "422", "429"} and method == "get":
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
