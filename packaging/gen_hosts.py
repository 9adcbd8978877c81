#!/usr/bin/env python3
"""The host layers generated from the core: result types and wrappers.

bindings/results.schema.json is what `wxpay schema` prints (a test keeps it
current), and tests/vectors/operations.json lists every operation (the core
is checked against it); from them this script writes

- bindings/python/python/wxpay/types.py: one TypedDict per result type;
- bindings/python/python/wxpay/aio.py: AsyncClient, one method per operation;
- bindings/node/results.d.ts: one TypeScript interface (or union) per type,
  and the client's options (camelCase) as CoreClientOptions;
- bindings/c/src/client.rs: the option list in wxpay_client_new's doc
  comment (between its "generated" lines), which cbindgen puts into
  include/wxpay.h (`make headers`; the header test fails while it is stale).

A field or an operation the core adds reaches them by running this script;
`--check` (run by `make test`) fails when a written file is stale. Run from
anywhere: paths are the repository's.
"""

import json
import pathlib
import re
import sys
import textwrap
from typing import Dict, List

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "bindings" / "results.schema.json"
PYTHON = ROOT / "bindings" / "python" / "python" / "wxpay" / "types.py"
NODE = ROOT / "bindings" / "node" / "results.d.ts"
AIO = ROOT / "bindings" / "python" / "python" / "wxpay" / "aio.py"
OPERATIONS = ROOT / "tests" / "vectors" / "operations.json"
C_CLIENT = ROOT / "bindings" / "c" / "src" / "client.rs"

# Shapes a shop hands in rather than gets back: every key optional but those
# the core requires.
INPUTS = {"ShopOrder"}
# Error details are each language's own error object.
ERROR = "ErrorDetails"
# Not emitted as types of their own (each host has its own error type).
SKIP = {ERROR}
# The client's options: each host's own constructor (documented from here),
# and the number types only they use.
OPTIONS = "ClientOptions"
OPTION_TYPES = {OPTIONS, "Seconds", "Count"}


def first_paragraph(text: str) -> str:
    """A doc comment's first paragraph, its Rust links as plain code."""
    para = text.strip().split("\n\n")[0]
    para = re.sub(r"\[`([^`]+)`\]", r"`\1`", para)
    return " ".join(line.strip() for line in para.splitlines())


def nullable(prop: dict) -> bool:
    t = prop.get("type")
    if isinstance(t, list) and "null" in t:
        return True
    return any(alt.get("type") == "null" for alt in prop.get("anyOf", []))


def core(prop: dict) -> dict:
    """The property's schema without its null alternative."""
    if "anyOf" in prop:
        alts = [a for a in prop["anyOf"] if a.get("type") != "null"]
        if len(alts) == 1:
            return alts[0]
    t = prop.get("type")
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        return dict(prop, type=rest[0] if len(rest) == 1 else rest)
    return prop


def ref_name(prop: dict) -> str:
    return prop["$ref"].rsplit("/", 1)[-1]


def order(defs: Dict[str, dict]) -> List[str]:
    """Names in an order where a type comes after those it uses."""
    done: List[str] = []

    def visit(name: str, seen: set) -> None:
        if name in done or name in seen:
            return
        seen.add(name)
        for dep in sorted(set(re.findall(r'"#/\$defs/(\w+)"', json.dumps(defs[name])))):
            visit(dep, seen)
        done.append(name)

    for name in sorted(defs):
        visit(name, set())
    return [n for n in done if n not in SKIP]


def is_enum(d: dict) -> bool:
    return d.get("type") == "string" and "enum" in d


def enum_values(d: dict) -> List[str]:
    if "enum" in d:
        return d["enum"]
    return [v["const"] for v in d.get("oneOf", [])]


# ----------------------------------------------------------------- Python

def py_type(prop: dict) -> str:
    if nullable(prop):
        return f"Optional[{py_type(core(prop))}]"
    if "$ref" in prop:
        name = ref_name(prop)
        return "WxPayError" if name == ERROR else name
    if "oneOf" in prop or "enum" in prop:
        return "str"
    t = prop.get("type")
    if t == "string":
        return "str"
    if t == "integer":
        return "int"
    if t == "boolean":
        return "bool"
    if t == "array":
        return f"List[{py_type(prop['items'])}]"
    if t == "object" and prop.get("additionalProperties", {}).get("type") == "string":
        return "Raw"
    raise SystemExit(f"gen_hosts.py: no Python type for {prop}")


def docstring(text: str, indent: str) -> List[str]:
    """A docstring of `text`, wrapped to the project's 120 columns."""
    lines = textwrap.wrap(text, 112 - len(indent), break_on_hyphens=False)
    lines[0] = '"""' + lines[0]
    lines[-1] += '"""'
    return [indent + line for line in lines]


def python(defs: Dict[str, dict]) -> str:
    out = [
        '"""The shapes of what wxpay returns, as TypedDicts (field names are WeChat\'s).',
        "",
        "Generated from bindings/results.schema.json (the core's result types) by",
        "packaging/gen_hosts.py: do not edit; run the script after changing a result",
        "type in the core. These are plain dicts at run time; the types are for mypy",
        "and editors, and the tests compare them with what the library returns.",
        '"""',
        "",
        "from typing import Dict, List, Optional, TypedDict",
        "",
        "from .errors import WxPayError",
        "",
        "Raw = Dict[str, str]",
        "",
    ]
    names = []
    for name in order(defs):
        if name in OPTION_TYPES:
            continue  # Python's Client takes them as keyword arguments (_wxpay.pyi)
        d = defs[name]
        if is_enum(d) or "oneOf" in d:
            values = ", ".join(repr(v) for v in enum_values(d))
            text = f'{first_paragraph(d.get("description", ""))} One of {values}.'
            out += ["", f"{name} = str", *docstring(text, "")]
            names.append(name)
            continue
        total = ", total=False" if name in INPUTS else ""
        out += ["", f"class {name}(TypedDict{total}):"]
        doc = first_paragraph(d.get("description", ""))
        if doc:
            out += [*docstring(doc, "    "), ""]
        for field, prop in d.get("properties", {}).items():
            out.append(f"    {field}: {py_type(prop)}")
        out.append("")
        names.append(name)
    out += ["", "__all__ = ["]
    out += [f'    "{n}",' for n in sorted(names)]
    out += ["]", ""]
    return "\n".join(out)


# ----------------------------------------------------------------- TypeScript

def ts_type(prop: dict) -> str:
    if nullable(prop):
        return f"{ts_type(core(prop))} | null"
    if "$ref" in prop:
        name = ref_name(prop)
        if name in ("Seconds", "Count"):
            return "number"
        return "import('./index').WxPayError" if name == ERROR else name
    t = prop.get("type")
    if t == "string":
        return "string"
    if t in ("integer", "number"):
        return "number"
    if t == "boolean":
        return "boolean"
    if t == "array":
        inner = ts_type(prop["items"])
        return f"({inner})[]" if "|" in inner else f"{inner}[]"
    if t == "object" and prop.get("additionalProperties", {}).get("type") == "string":
        return "Record<string, string>"
    raise SystemExit(f"gen_hosts.py: no TypeScript type for {prop}")


def node(defs: Dict[str, dict]) -> str:
    out = [
        "// The shapes of what wxpay returns (field names are WeChat's).",
        "// Generated from bindings/results.schema.json (the core's result types) by",
        "// packaging/gen_hosts.py: do not edit; run the script after changing a",
        "// result type in the core.",
    ]
    for name in order(defs):
        if name in INPUTS or name in OPTION_TYPES:
            # JavaScript writes its inputs in camelCase: types.d.ts has them.
            continue
        d = defs[name]
        doc = first_paragraph(d.get("description", ""))
        out.append("")
        if doc:
            lines = textwrap.wrap(doc, 100, break_on_hyphens=False)
            out += ["/** " + lines[0]] + [" * " + line for line in lines[1:]]
            out[-1] += " */"
        if is_enum(d) or "oneOf" in d:
            out.append(f"export type {name} = " + " | ".join(f"'{v}'" for v in enum_values(d)) + ";")
            continue
        out.append(f"export interface {name} {{")
        required = set(d.get("required", []))
        for field, prop in d.get("properties", {}).items():
            optional = "?" if name in INPUTS and field not in required else ""
            key = field if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", field) else json.dumps(field)
            out.append(f"  {key}{optional}: {ts_type(prop)};")
        out.append("}")
    out.append("")
    return "\n".join(out)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def option_items(defs: Dict[str, dict]) -> List[tuple]:
    """(name, required, description, json type) of every client option:
    the required ones first, then the rest by name."""
    d = defs[OPTIONS]
    required = d.get("required", [])
    props = d["properties"]
    names = list(required) + sorted(n for n in props if n not in required)
    items = []
    for n in names:
        prop = props[n]
        text = " ".join(prop.get("description", "").split())
        items.append((n, n in required, text, prop))
    return items


def node_options(defs: Dict[str, dict]) -> str:
    out = ["", "/** " + first_paragraph(defs[OPTIONS].get("description", "")),
           " * The names and types the core reads; types.d.ts adds what only JavaScript can pass. */",
           "export interface CoreClientOptions {"]
    for n, required, text, prop in option_items(defs):
        if text:
            out.append(f"  /** {text} */")
        t = ts_type(core(prop)) if nullable(prop) else ts_type(prop)
        out.append(f"  {camel(n)}{'' if required else '?'}: {t};")
    out += ["}", ""]
    return "\n".join(out)


C_BEGIN = "/// <!-- options: generated by packaging/gen_hosts.py from the core's ClientOptions -->"
C_END = "/// <!-- end of the generated options -->"


def c_options(defs: Dict[str, dict], source: str) -> str:
    """client.rs with its generated option list replaced."""
    lines = [C_BEGIN]
    for n, required, text, _ in option_items(defs):
        entry = f"- `{n}`" + (" (required)" if required else "") + (f": {text}" if text else "")
        wrapped = textwrap.wrap(entry, 76, subsequent_indent="  ", break_on_hyphens=False)
        lines += ["/// " + w for w in wrapped]
    lines.append(C_END)
    begin, end = source.find(C_BEGIN), source.find(C_END)
    if begin < 0 or end < 0:
        raise SystemExit(f"gen_hosts.py: {C_CLIENT.relative_to(ROOT)} lacks the generated option lines")
    return source[:begin] + "\n".join(lines) + source[end + len(C_END):]


# ----------------------------------------------------------------- Python's AsyncClient

# Results that are no type of the schema.
PY_PLAIN = {"Text": "str", "MaybeText": "Optional[str]", "Checked": "None"}

AIO_HEAD = '''"""``AsyncClient``: the same client for asyncio code.

Network calls run in a worker thread (the core releases the GIL while it
waits), so the event loop keeps running; calls that do no I/O run inline.
Every method takes exactly the arguments of the :class:`wxpay.Client`
method of the same name, which the core judges.

Generated from tests/vectors/operations.json by packaging/gen_hosts.py: do
not edit; run the script after adding an operation to the core.
"""

import asyncio
import inspect
from typing import Any, Awaitable, Callable, Optional, Union

from ._wxpay import Client
from .types import (
{imports}
)


class AsyncClient:
    """``await client.unified_order(...)`` etc.; takes the same arguments as
    :class:`wxpay.Client`."""

    def __init__(self, **options: Any) -> None:
        self._client = Client(**options)

    @property
    def client(self) -> Client:
        """The underlying synchronous client."""
        return self._client

    def __repr__(self) -> str:
        return "Async" + repr(self._client)

    async def handle_payment_notify(
        self,
        body: Union[bytes, bytearray, memoryview, str],
        find_order: Callable[[str], Union[Optional[ShopOrder], Awaitable[Optional[ShopOrder]]]],
    ) -> NotifyDecision:
        """As :meth:`wxpay.Client.handle_payment_notify`; ``find_order`` may be
        a coroutine function (an async ORM lookup)."""
        if not callable(find_order):
            raise TypeError("find_order must be callable: out_trade_no -> your order or None")
        out_trade_no = self._client.payment_notify_order(body)
        order: Optional[ShopOrder] = None
        if out_trade_no is not None:
            found = find_order(out_trade_no)
            order = await found if inspect.isawaitable(found) else found
        return await asyncio.to_thread(self._client.settle_payment_notify, body, order)
'''


def aio(ops: List[dict]) -> str:
    types = sorted({op["result"] for op in ops if op["result"] not in PY_PLAIN} | {"NotifyDecision", "ShopOrder"})
    out = [AIO_HEAD.format(imports="\n".join(f"    {t}," for t in types))]
    for op in ops:
        name, result = op["name"], op["result"]
        ret = PY_PLAIN.get(result, result)
        call = f"self._client.{name}"
        if op["io"]:
            out += [f"    async def {name}(self, *args: Any, **kwargs: Any) -> {ret}:",
                    f"        return await asyncio.to_thread({call}, *args, **kwargs)", ""]
        else:
            body = f"{call}(*args, **kwargs)" if ret == "None" else f"return {call}(*args, **kwargs)"
            out += [f"    def {name}(self, *args: Any, **kwargs: Any) -> {ret}:", f"        {body}", ""]
    return "\n".join(out)


def main() -> int:
    check = "--check" in sys.argv
    defs = json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]
    ops = json.loads(OPERATIONS.read_text(encoding="utf-8"))["cases"]
    stale = []
    c_source = C_CLIENT.read_text(encoding="utf-8")
    outputs = ((PYTHON, python(defs)), (AIO, aio(ops)), (NODE, node(defs) + node_options(defs)),
               (C_CLIENT, c_options(defs, c_source)))
    for path, text in outputs:
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale (run python3 packaging/gen_hosts.py): " + ", ".join(stale))
        return 1
    if check:
        print("generated host types are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
