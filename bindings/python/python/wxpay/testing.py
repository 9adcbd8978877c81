"""Test helpers for shops: the wxpay simulator, in this process.

    from wxpay.testing import Simulator
    with Simulator(time_scale=0.01) as sim:
        client = wxpay.Client(**sim.client_options())

The simulator is a separate package so that production installs carry no
server: ``pip install wxpaykit[testing]`` (or ``wxpaykit-testing``) where tests run.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wxpay_testing import Simulator
else:
    try:
        Simulator = importlib.import_module("wxpay_testing").Simulator
    except ImportError as missing:
        raise ImportError(
            "wxpay.testing needs the wxpaykit-testing package, which holds the simulator: "
            "pip install 'wxpaykit[testing]' in the environment that runs your tests"
        ) from missing

__all__ = ["Simulator"]
