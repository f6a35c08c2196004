from tests.layers.conftest import kiosk, trade_plot  # noqa: F401 (fixtures)
from tests.reports.conftest import english, media  # noqa: F401 (autouse fixtures)
