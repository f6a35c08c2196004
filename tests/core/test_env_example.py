"""docker/.env.example documents every environment variable the settings read."""

import re

from django.conf import settings

READERS = re.compile(r"""env_(?:str|bool|int|list|rate)\(\s*["']([A-Z_][A-Z0-9_]*)["']""")
ENVIRON = re.compile(r"""os\.environ(?:\.get)?[\[(]\s*["']([A-Z_][A-Z0-9_]*)["']""")


def variables_read() -> set[str]:
    names: set[str] = set()
    for module in ("geoportal/settings.py", "geoportal/envconfig.py"):
        source = (settings.BASE_DIR / module).read_text()
        names |= set(READERS.findall(source)) | set(ENVIRON.findall(source))
    return names - {"NAME", "SOME_FLAG"}


def test_every_variable_is_documented_in_env_example():
    example = (settings.BASE_DIR / "docker" / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z_][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    read = variables_read()
    assert len(read) > 25  # the pattern still finds the readers
    assert read - documented == set()
