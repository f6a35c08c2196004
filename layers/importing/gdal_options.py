"""GDAL's configuration while this process reads files that people upload.

An imported file is untrusted: GDAL drivers can follow references inside a file (a VRT
names other files and /vsicurl/ URLs, a GeoJSON "crs" link is fetched, a GeoPackage
view runs SQL). The content checks (layers/importing/inspection.py) refuse such files
before GDAL opens them; these options are the second wall, so that a reference the
checks missed still reaches neither the network nor another file:

- CPL_VSIL_CURL_ALLOWED_FILENAME: /vsicurl/ and the cloud file systems built on it
  (/vsis3/, /vsigs/, /vsiaz/, ...) may open only this one name, which does not exist.
- GDAL_HTTP_PROXY, GDAL_HTTPS_PROXY: every other HTTP request GDAL makes (a CRS link,
  a WFS or OGC API source) goes to the discard port on loopback, where nothing listens;
  GDAL_HTTP_TIMEOUT, GDAL_HTTP_CONNECTTIMEOUT and GDAL_HTTP_MAX_RETRY make that fail
  at once. (curl exempts hosts listed in NO_PROXY from a proxy: the checks stay the
  first wall, and tests/security/test_hostile_layer_files.py runs with NO_PROXY unset
  and with it set to the listener's address.)
- GDAL_HTTP_NETRC, GDAL_HTTP_COOKIEFILE: no credentials of the server's account.
- AWS_NO_SIGN_REQUEST: even a /vsis3/ path would be read without the server's keys.
- GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR: GDAL does not list the folder of a file.
- GDAL_PAM_ENABLED=NO: no .aux.xml side files are read or written.
- CPL_ALLOW_VSISTDIN=NO, CPL_CURL_ENABLE_VSIMEM=NO: no reading from standard input or
  from in-memory files by URL.
- OGR_SQLITE_ALLOW_EXTERNAL_ACCESS=NO: SQL in a GeoPackage or SQLite file cannot open
  other data sources (VirtualOGR).
- GDAL_ALLOW_REMOTE_RESOURCE_TO_ACCESS_LOCAL_FILE=NO: a remote resource cannot point
  GDAL at a local file.
- LIBKML_RESOLVE_STYLE=NO, LIBKML_EXTERNAL_STYLE=NO: KML styles are not fetched.
- GDAL_VRT_ENABLE_PYTHON=NO: no Python code from a (raster) VRT.
- PROJ_NETWORK=OFF: PROJ fetches no transformation grids while reprojecting.

They are set once for the whole process when the layers app is ready (the platform
never asks GDAL for a URL), in both GDAL libraries it loads: pyogrio's own, which reads
layer imports, and the system one GeoDjango uses for boundaries.
"""

from __future__ import annotations

import ctypes
import os

import pyogrio

# The discard port: nothing listens there, so a connection is refused at once.
NOWHERE = "127.0.0.1:9"
NO_URL = "/vsicurl/disabled-by-geoportal"

OPTIONS: dict[str, str] = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": NO_URL,
    "GDAL_HTTP_PROXY": NOWHERE,
    "GDAL_HTTPS_PROXY": NOWHERE,
    "GDAL_HTTP_TIMEOUT": "2",
    "GDAL_HTTP_CONNECTTIMEOUT": "2",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_NETRC": "NO",
    "GDAL_HTTP_COOKIEFILE": "",
    "AWS_NO_SIGN_REQUEST": "YES",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_PAM_ENABLED": "NO",
    "CPL_ALLOW_VSISTDIN": "NO",
    "CPL_CURL_ENABLE_VSIMEM": "NO",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "GDAL_ALLOW_REMOTE_RESOURCE_TO_ACCESS_LOCAL_FILE": "NO",
    "LIBKML_RESOLVE_STYLE": "NO",
    "LIBKML_EXTERNAL_STYLE": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "PROJ_NETWORK": "OFF",
}


def apply() -> None:
    """Set OPTIONS in pyogrio's GDAL and in GeoDjango's (the system library)."""
    os.environ["PROJ_NETWORK"] = "OFF"
    pyogrio.set_gdal_config_options(dict(OPTIONS))
    _apply_to_geodjango()


def missing() -> dict[str, str | None]:
    """Options whose value in pyogrio's GDAL is not the one required: {name: value}."""
    found = {name: pyogrio.get_gdal_config_option(name) for name in OPTIONS}
    return {
        name: value for name, value in found.items() if _normal(value) != _normal(OPTIONS[name])
    }


def _normal(value: object) -> str:
    """pyogrio reads YES/NO/ON/OFF back as booleans and numbers as ints."""
    text = "" if value is None else str(value).upper()
    return {"TRUE": "YES", "ON": "YES", "FALSE": "NO", "OFF": "NO"}.get(text, text)


def _apply_to_geodjango() -> None:
    from django.contrib.gis.gdal.libgdal import lgdal

    setter = lgdal.CPLSetConfigOption
    setter.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    setter.restype = None
    for name, value in OPTIONS.items():
        setter(name.encode(), value.encode())
