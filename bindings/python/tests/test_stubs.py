"""The type stubs and TypedDicts say what the library really does."""

import ast
import pathlib
import subprocess
import sys
from typing import Dict, List

import wxpay
from wxpay import _wxpay
from wxpay.aio import AsyncClient

PACKAGE = pathlib.Path(wxpay.__file__).parent
ALLOWLIST = pathlib.Path(__file__).resolve().parents[1] / "stubtest-allowlist.txt"


def test_stubtest_finds_no_drift() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--allowlist", str(ALLOWLIST), "wxpay", "wxpay_testing"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def stub_methods() -> Dict[str, List[str]]:
    """Client's methods in the stub, with their positional parameter names."""
    tree = ast.parse((PACKAGE / "_wxpay.pyi").read_text())
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Client")
    return {
        f.name: [a.arg for a in f.args.posonlyargs + f.args.args][1:]
        for f in client.body
        if isinstance(f, ast.FunctionDef)
    }


def test_every_core_operation_has_a_method_whose_positions_are_the_cores() -> None:
    methods = stub_methods()
    operations = dict(_wxpay._operations())
    assert len(operations) >= 20
    for name, positional in operations.items():
        assert name in methods, f"the stub has no Client.{name}"
        assert methods[name] == positional, f"{name}: stub {methods[name]}, core {positional}"
        assert callable(getattr(wxpay.Client, name)), name
        assert hasattr(AsyncClient, name), f"AsyncClient has no {name}"


def test_every_stub_returns_what_the_core_says() -> None:
    """tests/vectors/operations.json names each operation's result (a type of
    bindings/results.schema.json, or Text, MaybeText, Checked)."""
    import json

    plain = {"Text": "str", "MaybeText": "Optional[str]", "Checked": "None"}
    tree = ast.parse((PACKAGE / "_wxpay.pyi").read_text())
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Client")
    # The generated stubs name the result types through the module (`_t.Bill`).
    returns = {f.name: ast.unparse(f.returns).replace("_t.", "")
               for f in client.body if isinstance(f, ast.FunctionDef) and f.returns}
    from conftest import VECTORS

    table = json.loads((VECTORS / "operations.json").read_text())["cases"]
    wrong = {op["name"]: returns.get(op["name"]) for op in table
             if returns.get(op["name"]) != plain.get(op["result"], op["result"])}
    assert wrong == {}, wrong


def test_the_client_takes_every_option_of_the_core() -> None:
    """Client's keyword arguments in the stub are the core's options
    (bindings/results.schema.json), except that Python takes the refund
    certificate as one `cert` (PKCS#12 bytes or a PEM pair) and a store object
    as `token_store`."""
    import json

    schema = pathlib.Path(__file__).resolve().parents[2] / "results.schema.json"
    core = set(json.loads(schema.read_text())["$defs"]["ClientOptions"]["properties"])
    tree = ast.parse((PACKAGE / "_wxpay.pyi").read_text())
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Client")
    new = next(f for f in client.body if isinstance(f, ast.FunctionDef) and f.name == "__new__")
    stub = {a.arg for a in new.args.kwonlyargs}
    as_cert = {"cert_pem", "key_pem", "cert_p12_base64"}
    assert stub == (core - as_cert) | {"cert"}, f"stub only: {stub - core}, core only: {core - stub}"


def v3_stubs() -> Dict[str, ast.FunctionDef]:
    tree = ast.parse((PACKAGE / "_wxpay.pyi").read_text())
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ClientV3")
    return {f.name: f for f in client.body if isinstance(f, ast.FunctionDef)}


def test_every_v3_operation_has_a_method_that_returns_what_the_core_says() -> None:
    """tests/vectors/v3/operations.json: each v3 operation is a method of
    ClientV3 and AsyncClientV3 whose stub takes the core's positions and
    returns the core's result type."""
    import json

    from conftest import VECTORS
    from wxpay.aio import AsyncClientV3

    plain = {"Text": "str", "MaybeText": "Optional[str]", "Checked": "None"}
    stubs = v3_stubs()
    table = json.loads((VECTORS / "v3" / "operations.json").read_text())["cases"]
    assert len(table) >= 14
    for op in table:
        name = op["name"]
        assert callable(getattr(wxpay.ClientV3, name)), name
        assert hasattr(AsyncClientV3, op.get("handler", name)), f"AsyncClientV3 has no {name}"
        stub = stubs[name]
        positions = [a.arg for a in stub.args.posonlyargs + stub.args.args][1:]
        # A notification's stub names its headers first, as the framework hands them over.
        want = ["headers", "body"] + [p for p in op["positional"] if p not in ("body", "headers")] \
            if "body" in op["positional"] else op["positional"]
        assert positions == want, f"{name}: stub {positions}, core {want}"
        returns = ast.unparse(stub.returns).replace("_t.", "") if stub.returns else None
        assert returns == plain.get(op["result"], op["result"]), f"{name}: {returns}"


def test_client_v3_takes_every_option_of_the_core() -> None:
    import json

    schema = pathlib.Path(__file__).resolve().parents[2] / "results.schema.json"
    core = set(json.loads(schema.read_text())["$defs"]["ClientV3Options"]["properties"])
    stub = {a.arg for a in v3_stubs()["__new__"].args.kwonlyargs}
    assert stub == core, f"stub only: {stub - core}, core only: {core - stub}"
