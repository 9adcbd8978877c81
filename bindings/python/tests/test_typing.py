"""mypy --strict accepts a shop module written against the public API."""

import pathlib
import subprocess
import sys


def test_mypy_strict_passes_on_typed_usage() -> None:
    here = pathlib.Path(__file__).parent
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(here / "typed_usage.py")],
        capture_output=True, text=True, cwd=here,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_command_line_examples() -> None:
    examples = pathlib.Path(__file__).resolve().parents[3] / "examples"
    files = [str(examples / "counter" / "cashier.py"), str(examples / "platform" / "platform_shop.py"),
             str(examples / "native" / "vending.py"), str(examples / "miniprogram" / "backend.py"),
             str(examples / "profit_sharing" / "commission.py"), str(examples / "reconcile" / "nightly.py"),
             str(examples / "reconcile" / "fund_flow.py")]
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files],
                            capture_output=True, text=True, cwd=examples)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_catches_a_wrong_amount_type(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import wxpay\n"
        "c = wxpay.Client(appid='a', mch_id='1', api_key='k')\n"
        "c.unified_order(body='b', out_trade_no='o', total_fee=9.9, spbill_create_ip='x')\n"
    )
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(bad)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0 and "total_fee" in result.stdout, result.stdout


def test_mypy_catches_a_misspelt_result_field(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad_field.py"
    bad.write_text(
        "import wxpay\n"
        "c = wxpay.Client(appid='a', mch_id='1', api_key='k')\n"
        "order = c.unified_order(body='b', out_trade_no='o', total_fee=1, spbill_create_ip='x')\n"
        "print(order['prepay_idd'])\n"
    )
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(bad)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0 and "prepay_idd" in result.stdout, result.stdout
