from tests.layers.conftest import kiosk, trade_plot  # noqa: F401 (fixtures)
from tests.reports.conftest import english, media, no_jobs  # noqa: F401 (fixtures, some autouse)
