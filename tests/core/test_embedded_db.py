"""The embedded cluster's choice of port when another server holds the default one."""

import socket
from pathlib import Path

from geoportal.core.embedded_db import Cluster


def test_busy_port_moves_to_the_next_free_one_and_is_remembered(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("EMBEDDED_DB_PORT", raising=False)
    (tmp_path / ".local").mkdir()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        cluster = Cluster(base_dir=tmp_path, port=busy)
        messages: list[str] = []
        cluster._choose_free_port(messages.append)
    assert cluster.port > busy
    assert (tmp_path / ".local" / "pg-port").read_text().strip() == str(cluster.port)
    assert messages == [f"Port {busy} is taken; using {cluster.port}"]
