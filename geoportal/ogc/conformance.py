"""The conformance classes the OGC API declares, each for what is implemented."""

from __future__ import annotations

PART1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
PART2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/"
PART4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"

READING = [f"{PART1}core", f"{PART1}oas30", f"{PART1}html", f"{PART1}geojson", f"{PART2}crs"]
# Part 4 (draft): POST/PUT/DELETE, PATCH, and If-Match on the items' ETags (transactions.py).
WRITING = [f"{PART4}create-replace-delete", f"{PART4}update", f"{PART4}optimistic-locking-etags"]
ALL = [*READING, *WRITING]
