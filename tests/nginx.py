"""Debian's nginx (unpacked by `make nginx`) run by a test as one foreground process."""

from __future__ import annotations

from pathlib import Path


def standalone_config(http_block: str, scratch: Path, connections: int = 64) -> str:
    """The top of an nginx.conf for one process, in the foreground, with its pid and
    temporary files in the test's private folder `scratch`, around `http_block`."""
    temp = " ".join(f"{kind}_temp_path {scratch}/{kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    return f"""daemon off;
master_process off;
pid {scratch}/nginx.pid;
error_log stderr warn;
events {{ worker_connections {connections}; }}
http {{
    access_log off;
    {temp}
    {http_block}
}}
"""
