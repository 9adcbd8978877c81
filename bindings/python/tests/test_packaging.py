"""The wxpay wheel carries no server: the simulator is the wxpaykit-testing opt-in."""

import pathlib
import subprocess
import sys

import wxpay._wxpay as ext


def test_the_wxpay_extension_carries_no_simulator() -> None:
    data = pathlib.Path(ext.__file__).read_bytes()
    for marker in (b"/sim/jsbridge.js", b"wxpay_sim", b"rcgen"):
        assert marker not in data, marker
    assert not any("sim" in name.lower() for name in dir(ext))


def test_wxpay_testing_is_the_simulator() -> None:
    import wxpay_testing._sim as sim

    assert b"/sim/jsbridge.js" in pathlib.Path(sim.__file__).read_bytes()
    from wxpay.testing import Simulator

    with Simulator() as s:
        assert s.url.startswith("http://127.0.0.1:") and len(s.api_key) == 32


def test_without_the_opt_in_wxpay_testing_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['wxpay_testing'] = None\n"
        "try:\n    import wxpay.testing\nexcept ImportError as e:\n    print(e)\n"
        "import wxpay; print(wxpay.Client)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "pip install 'wxpaykit[testing]'" in out and "wxpay.Client" in out
