"""MapServer 8 serving the land plots through its OGC API – Features, as the peer of
/ogc/collections/land/items, and as Mapbox vector tiles (tile mode, layer `land_tiles`:
the columns of the platform's land tile, for the bench's hromada), the peer of
/tiles/land/{z}/{x}/{y}.mvt: Debian's `mapserv` (package mapserver-bin) in FastCGI mode
behind Debian's nginx (unpacked into .local/nginx by `make nginx`), both on loopback.

The layer is the platform's land collection (geoportal/ogc/collections.py): every plot of
an active hromada, with the same properties (the hromada's slug as `municipality`, then
the public fields of layers/public_fields.py; MapServer adds `id`), read by its PostGIS
driver from the same table. FastCGI as spawn-fcgi sets it up: the listening socket (a Unix
socket in a private folder) is handed to each `mapserv` as its standard input, and
`mapserv` then answers request after request on its open database connection
(PROCESSING "CLOSE_CONNECTION=DEFER"), as gunicorn's workers keep theirs.
Everything is started and stopped by `mapserver()`, a context manager.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.nginx import standalone_config

BASE_DIR = Path(__file__).resolve().parents[2]
MAPSERV = Path("/usr/bin/mapserv")
NGINX = BASE_DIR / ".local" / "nginx" / "usr" / "sbin" / "nginx"
TEMPLATES = Path("/usr/share/mapserver/ogcapi/templates/html-plain")
ALIAS = "geoportal"  # the map's name in MapServer's CONFIG file: /mapserv/<alias>/ogcapi
# What the platform's land collection serves, in its order (LandPlotSerializer).
LAND_FIELDS = ("cadastral_number", "katotth", "category", "purpose_code", "purpose_text",
               "ownership", "area_ha", "lease_until", "normative_valuation",
               "investor_status")  # fmt: skip


def missing() -> list[str]:
    """What the peer needs and this machine lacks, said so that the fix is plain."""
    lacking = []
    if not MAPSERV.exists():
        lacking.append(f"{MAPSERV} (Debian package mapserver-bin: `make test` installs it)")
    if not TEMPLATES.is_dir():
        lacking.append(f"{TEMPLATES} (Debian package mapserver-bin)")
    if not NGINX.exists():
        lacking.append(f"{NGINX} (`make nginx` unpacks Debian's nginx there)")
    return lacking


def version() -> str:
    """`mapserv -v`'s first words: "MapServer version 8.0.0"."""
    shown = subprocess.run([str(MAPSERV), "-v"], capture_output=True, text=True, timeout=30)
    return " ".join(shown.stdout.split()[:3])


def nginx_version() -> str:
    """`nginx -v`'s answer (on standard error): "nginx/1.22.1"."""
    shown = subprocess.run([str(NGINX), "-v"], capture_output=True, text=True, timeout=30)
    return shown.stderr.strip().rsplit(" ", 1)[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _quoted(value: str) -> str:
    """A mapfile string: double quotes, with its own quotes and backslashes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connection_string(conninfo: str) -> str:
    """A libpq connection string or postgresql:// URL as libpq's quoted key=value words."""
    return make_conninfo("", **conninfo_to_dict(conninfo))


# The collection's rows, as geoportal/ogc/collections.py selects them: plots of active hromadas.
LAND_SQL = (
    "geometry FROM (SELECT p.id, m.slug AS municipality, p.cadastral_number, p.katotth, "
    "p.category, p.purpose_code, p.purpose_text, p.ownership, p.area_ha, p.lease_until, "
    "p.normative_valuation, p.investor_status, p.geometry "
    "FROM layers_landplot p JOIN municipalities_municipality m ON m.id = p.municipality_id "
    "WHERE m.is_active) AS land USING UNIQUE id USING SRID=4326"
)


# The land tile's rows, as layers/tiles/sql.py selects them for one hromada (?municipality=).
def tile_sql(slug: str) -> str:
    assert slug.isidentifier(), slug  # a constant of the bench, formatted into the mapfile
    # The slug is checked above; MapServer's DATA takes no query parameters.
    return (
        "geometry FROM (SELECT p.id, p.cadastral_number, p.purpose_code, p.ownership, "  # noqa: S608
        "p.investor_status, m.slug AS municipality, p.geometry FROM layers_landplot p "
        "JOIN municipalities_municipality m ON m.id = p.municipality_id "
        f"WHERE m.slug = '{slug}') AS land USING UNIQUE id USING SRID=4326"
    )


def tile_url(ogc_root: str, z: int, x: int, y: int) -> str:
    """MapServer's Mapbox vector tile of the land (tile mode, Google's x/y/z scheme)."""
    server = ogc_root.split("/mapserv/", 1)[0]
    return (f"{server}/mapserv?map={ALIAS}&mode=tile&tilemode=gmap&tile={x}+{y}+{z}"
            "&layers=land_tiles&map.imagetype=mvt")  # fmt: skip


def mapfile(conninfo: str, base: str, tile_municipality: str = "pokrovsk") -> str:
    return f"""MAP
  NAME "{ALIAS}"
  EXTENT -180 -90 180 90
  UNITS DD
  PROJECTION
    "init=epsg:4326"
  END
  # Vector tiles as the platform makes them: 4096 units, a 64-unit buffer.
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    FORMATOPTION "EXTENT=4096"
    FORMATOPTION "EDGE_BUFFER=64"
  END
  WEB
    METADATA
      "ows_title" "Geoportal land plots (MapServer peer)"
      "oga_onlineresource" {_quoted(base)}
      "oga_html_template_directory" {_quoted(str(TEMPLATES) + "/")}
      "ows_enable_request" "*"
      "oga_enable_request" "*"
      "oga_max_limit" "10000"
    END
  END
  LAYER
    NAME "land"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION {_quoted(connection_string(conninfo))}
    DATA {_quoted(LAND_SQL)}
    PROCESSING "CLOSE_CONNECTION=DEFER"
    # Ukraine: said once, as the platform does not scan the table for a collection's extent.
    EXTENT 22 44 41 53
    PROJECTION
      "init=epsg:4326"
    END
    METADATA
      "ows_title" "Land plots"
      "gml_include_items" "all"
      "gml_featureid" "id"
      "gml_types" "auto"
    END
    TEMPLATE "VOID"
  END
  LAYER
    NAME "land_tiles"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION {_quoted(connection_string(conninfo))}
    DATA {_quoted(tile_sql(tile_municipality))}
    PROCESSING "CLOSE_CONNECTION=DEFER"
    EXTENT 22 44 41 53
    PROJECTION
      "init=epsg:4326"
    END
    METADATA
      "ows_title" "Land plots (tiles)"
      "gml_include_items" "all"
      "oga_enable_request" "!*"
    END
    CLASS
    END
  END
END
"""


def config(map_path: Path, scratch: Path) -> str:
    """MapServer 8's CONFIG file: the map's alias, nothing read from elsewhere."""
    return f"""CONFIG
  ENV
    MS_ERRORFILE {_quoted(str(scratch / "mapserver-errors.log"))}
  END
  MAPS
    {ALIAS} {_quoted(str(map_path))}
  END
END
"""


def nginx_config(port: int, fastcgi: Path, scratch: Path) -> str:
    params = f"""fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param CONTENT_TYPE $content_type;
            fastcgi_param CONTENT_LENGTH $content_length;
            fastcgi_param REQUEST_URI $request_uri;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
            fastcgi_param SERVER_NAME 127.0.0.1;
            fastcgi_param SERVER_PORT {port};
            fastcgi_param REMOTE_ADDR $remote_addr;
            fastcgi_keep_conn on;
            fastcgi_pass mapserv;"""
    return standalone_config(
        f"""server {{
        listen 127.0.0.1:{port};
        # Classic CGI requests (the vector tiles of tile mode): no path after /mapserv.
        location = /mapserv {{
            fastcgi_param SCRIPT_NAME /mapserv;
            {params}
        }}
        location /mapserv/ {{
            fastcgi_split_path_info ^(/mapserv)(/.*)$;
            fastcgi_param SCRIPT_NAME $fastcgi_script_name;
            fastcgi_param PATH_INFO $fastcgi_path_info;
            {params}
        }}
    }}
    upstream mapserv {{
        server unix:{fastcgi};
        keepalive 8;
    }}""",
        scratch,
        connections=256,
    )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Asked to end, then killed: mapserv in FastCGI mode may wait for one more request
    before it honours SIGTERM."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 3
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def mapserver(conninfo: str, processes: int = 4) -> Iterator[str]:
    """MapServer's OGC API on loopback for the database of `conninfo` (libpq's form);
    yields the API's root (…/mapserv/geoportal/ogcapi). `processes` mapserv processes
    share the FastCGI socket, as gunicorn's workers share the platform's port. Stopped on
    leaving, even on failure."""
    lacking = missing()
    if lacking:
        raise RuntimeError("MapServer's peer cannot start; missing: " + "; ".join(lacking))
    scratch = Path(tempfile.mkdtemp(prefix="geoportal-mapserver-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}/mapserv/{ALIAS}/ogcapi"
    map_path = scratch / "geoportal.map"
    map_path.write_text(mapfile(conninfo, base), encoding="utf-8")
    map_path.chmod(0o600)  # it holds the database's password
    (scratch / "mapserver.conf").write_text(config(map_path, scratch), encoding="utf-8")
    fastcgi = scratch / "mapserv.sock"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "MAPSERVER_CONFIG_FILE": str(scratch / "mapserver.conf")}  # fmt: skip
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, scratch, True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stack.callback(listener.close)
        listener.bind(str(fastcgi))
        listener.listen(64)
        children: list[subprocess.Popen[bytes]] = []
        stack.callback(_stop, children)
        for _n in range(processes):
            # FastCGI's convention: the listening socket is the child's descriptor 0.
            children.append(subprocess.Popen([str(MAPSERV)], stdin=listener.fileno(), env=env,
                                             stdout=subprocess.DEVNULL))  # fmt: skip
        (scratch / "nginx.conf").write_text(nginx_config(port, fastcgi, scratch))
        command = [str(NGINX), "-p", str(scratch), "-c", str(scratch / "nginx.conf"),
                   "-e", "stderr"]  # fmt: skip
        check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refuses the peer's configuration: {check.stderr}")
        front = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        stack.callback(_stop, [front])
        _wait_for(f"{base}/collections/land?f=json", scratch)
        yield base


def _wait_for(address: str, scratch: Path) -> None:
    deadline = time.monotonic() + 30
    said = ""
    while time.monotonic() < deadline:
        try:
            answer = requests.get(address, timeout=5)
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)  # nginx not listening yet
            continue
        if answer.status_code == 200:
            return
        said = f"{answer.status_code}: {answer.text[:500]}"
        break
    errors = scratch / "mapserver-errors.log"
    logged = errors.read_text()[-2000:] if errors.exists() else ""
    raise RuntimeError(f"MapServer's OGC API does not answer {address}: {said} {logged}")
