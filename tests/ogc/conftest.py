from tests.layers.conftest import kiosk  # noqa: F401 (a fixture)
