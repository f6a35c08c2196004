"""Backups that are what they claim, and restores that change nothing until they are sure.

- `backup`: counts, row sums and pg_dump's dump from one exported snapshot; the media
  with their SHA-256 sums; manifest.json written last (taking.py).
- `restore`: the folder checked against its manifest, the database restored beside the
  target and verified table by table, the media staged, then both switched at once
  (restoring.py; renaming.py, or in_place.py for a database that cannot be renamed;
  media.py).
"""

from geoportal.core.backup.database import Database, TableSum, census
from geoportal.core.backup.manifest import Manifest, check
from geoportal.core.backup.media import FolderMedia, StorageMedia, media_target
from geoportal.core.backup.progress import BackupError
from geoportal.core.backup.restoring import restore
from geoportal.core.backup.taking import backup

__all__ = [
    "BackupError",
    "Database",
    "FolderMedia",
    "Manifest",
    "StorageMedia",
    "TableSum",
    "backup",
    "census",
    "check",
    "media_target",
    "restore",
]
