"""The shop under test talks to wxpay-sim, which posts notifications to the
shop's live server."""

from typing import Any, Iterator

import pytest
from django.conf import LazySettings
from django.core.cache import cache

from orders import payments
from wxpay.testing import Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(time_scale=0.001) as s:
        yield s


@pytest.fixture
def shop(sim: Simulator, live_server: Any, settings: LazySettings) -> Iterator[Any]:
    """Settings pointing the shop at the simulator and at its own live URL."""
    settings.WXPAY = dict(settings.WXPAY, sim_url=sim.url)
    settings.SHOP_BASE_URL = live_server.url
    # The token cache is shared (a file cache): each test's simulator issues
    # its own tokens.
    cache.clear()
    payments.client.cache_clear()
    yield live_server
    payments.client.cache_clear()
    cache.clear()
