#!/usr/bin/env python3
"""The host layers generated from the core: result types and methods.

bindings/results.schema.json is what `wxpay schema` prints (a test keeps it
current): the core's result types, its client options and its operation
table. From it this script writes

- tests/vectors/operations.json: every operation, as each language names it;
- bindings/python/python/wxpay/types.py: one TypedDict per result type;
- bindings/python/python/wxpay/aio.py: AsyncClient, one method per operation;
- one method per operation in the generated block of the pyo3 client
  (bindings/python/src/client.rs), _wxpay.pyi, bindings/node/index.js,
  bindings/php/src/Client.php, WxPayClient.kt and bindings/c/src/client.rs
  (those a language shapes by hand are listed in HAND below);
- bindings/node/results.d.ts: one TypeScript interface (or union) per type,
  and the client's options (camelCase) as CoreClientOptions;
- bindings/c/src/client.rs: the option list in wxpay_client_new's doc
  comment (between its "generated" lines), which cbindgen puts into
  include/wxpay.h (`make headers`; the header test fails while it is stale).

`make generate` runs it with the schema before and the C header and Node's
index.d.ts after. `--check` (run by `make test`) fails when a written file
is stale. Run from anywhere: paths are the repository's.
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
OPTION_TYPES = {OPTIONS, "ClientV3Options", "Seconds", "Count"}


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

def any_json(prop: dict) -> bool:
    """A property of any JSON value (WeChat's own words, kept whole)."""
    return not any(k in prop for k in ("type", "$ref", "anyOf", "oneOf", "enum", "const"))


def py_type(prop: dict) -> str:
    if any_json(prop):
        return "Any"
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
    if t == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"Dict[str, {py_type(prop['additionalProperties'])}]"
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
        "from typing import Any, Dict, List, Optional, TypedDict",
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
    if any_json(prop):
        return "unknown"
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
    if t == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"Record<string, {ts_type(prop['additionalProperties'])}>"
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

AIO_HEAD = '''"""``AsyncClient`` and ``AsyncClientV3``: the same clients for asyncio code.

Network calls run in a worker thread (the core releases the GIL while it
waits), so the event loop keeps running; calls that do no I/O run inline.
Every method takes exactly the arguments of the :class:`wxpay.Client`
method of the same name, which the core judges.

Generated from the core's operation table by packaging/gen_hosts.py: do not
edit; run `make generate` after adding an operation to the core.
"""

import asyncio
import inspect
from typing import Any, Awaitable, Callable, Optional, Union

from ._wxpay import Client, ClientV3
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


def aio(ops: List[dict], ops_v3: List[dict]) -> str:
    types = sorted({op["result"] for op in ops + ops_v3 if op["result"] not in PY_PLAIN}
                   | {"NotifyDecision", "NotifyDecisionV3", "RefundNotifyDecisionV3", "ShopOrder"})
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


# ----------------------------------------------------------------- per-operation methods
#
# Every operation of the core's table is a method in every language. Those
# listed in HAND below have a shape of their own in that language (a fast
# path, a request type, an error inside the result) and are written by hand
# next to the generated block; every other operation, and so any operation
# the core adds, is written here into the block between the GENERATED and
# END lines of each file. The bindings' tests check that every operation of
# tests/vectors/operations.json is a method, hand-written or generated.

GENERATED = "<generated by packaging/gen_hosts.py from the core's operation table: do not edit>"
END = "</generated>"

PY_CLIENT = ROOT / "bindings" / "python" / "src" / "client.rs"
PYI = ROOT / "bindings" / "python" / "python" / "wxpay" / "_wxpay.pyi"
NODE_INDEX = ROOT / "bindings" / "node" / "index.js"
PHP_CLIENT = ROOT / "bindings" / "php" / "src" / "Client.php"
STUBTEST_ALLOWLIST = ROOT / "bindings" / "python" / "stubtest-allowlist.txt"
KOTLIN_CLIENT = ROOT / "bindings" / "jvm" / "src" / "main" / "kotlin" / "io" / "wxpay" / "WxPayClient.kt"

HAND = {
    # Typed keyword arguments of their own (_wxpay.pyi); the pyo3 methods
    # are all generated.
    "pyi": {"unified_order", "query_order", "refund", "query_refund", "micropay"},
    "node": {"unified_order", "jsapi_params", "jssdk_pay_params", "app_pay_params", "query_order", "close_order",
             "refund", "query_refund", "download_bill", "micropay", "reverse", "auth_code_to_openid",
             "verify_payment_notify", "check_amount", "confirm_payment", "settle_payment_notify",
             "oauth_exchange_code"},
    "php": {"unified_order", "jsapi_params", "jssdk_pay_params", "app_pay_params", "query_order", "close_order",
            "refund", "query_refund", "download_bill", "confirm_payment", "oauth_exchange_code",
            "verify_payment_notify", "check_amount", "settle_payment_notify", "payment_notify_order",
            "parse_refund_notify", "oauth_authorize_url", "oauth_state", "check_oauth_state", "access_token",
            "jsapi_ticket", "jssdk_config"},
    "kotlin": {"query_order", "download_bill", "verify_payment_notify", "settle_payment_notify",
               "check_oauth_state"},
    # Every C function has arguments of its own C type, written by hand;
    # the generated ones take their arguments as JSON, as wxpay_client_call.
    "c": {"unified_order", "jsapi_params", "jssdk_pay_params", "app_pay_params", "query_order", "close_order",
          "refund", "query_refund", "micropay", "reverse", "auth_code_to_openid", "download_bill",
          "verify_payment_notify", "confirm_payment", "check_amount", "payment_notify_order",
          "settle_payment_notify", "parse_refund_notify", "oauth_authorize_url", "oauth_state",
          "check_oauth_state", "oauth_exchange_code", "access_token", "jsapi_ticket", "jssdk_config"},
}


def replace_block(path: pathlib.Path, source: str, comment: str, lines: List[str], marker: str = GENERATED) -> str:
    """`source` with the lines between its `marker` (GENERATED, or
    GENERATED_V3) and the next END comment line replaced by `lines` (the
    markers keep their indentation)."""
    begin = re.search(rf"^[ \t]*{re.escape(comment)} {re.escape(marker)}\n", source, re.M)
    end = re.compile(rf"^[ \t]*{re.escape(comment)} {re.escape(END)}\n", re.M).search(source, begin.end()) if begin else None
    if not begin or not end or end.start() < begin.end():
        raise SystemExit(f"gen_hosts.py: {path.relative_to(ROOT)} lacks its generated block")
    body = "".join(line + "\n" if line else "\n" for line in lines)
    return source[:begin.end()] + body + source[end.start():]


def optional(arg: dict) -> bool:
    return arg["type"].endswith("?")


def nullable_arg(arg: dict) -> bool:
    """Required, but null is a value of its own (`ShopOrder|null`: no such order)."""
    return arg["type"].endswith("|null")


def base(arg: dict) -> str:
    return arg["type"].rstrip("?").removesuffix("|null")


def doc_lines(text: str, width: int) -> List[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False)


def has_error(defs: Dict[str, dict], result: str) -> bool:
    """Whether a result carries an error's details (each host turns them
    into its own error object)."""
    props = defs.get(result, {}).get("properties", {})
    return any(ERROR in json.dumps(p) for p in props.values())


def operations_json(ops: List[dict]) -> str:
    cases = [{"name": op["name"], "camel": camel(op["name"]), "c": f"wxpay_client_{op['name']}",
              "positional": [a["name"] for a in op["positional"]], "io": op["io"],
              "sub_merchant": op["sub_merchant"], "result": op["result"]} for op in ops]
    description = ("every client operation: its name in the core and in Python, camelCase in Node, PHP and the JVM, "
                   "its C function, the names its positional arguments stand for, whether it may wait on the "
                   "network, whether a service provider may call it for a sub-merchant, and what it returns (a type "
                   "of bindings/results.schema.json, or Text, MaybeText, Checked); written by packaging/gen_hosts.py "
                   "from the core's operation table")
    return json.dumps({"description": description, "cases": cases}, ensure_ascii=False, indent=2) + "\n"


# Python

def py_signature(op: dict) -> str:
    parts = [a["name"] + ("=None" if optional(a) else "") for a in op["positional"]]
    if op["sub_merchant"]:
        parts += ["*", "sub_mch_id=None", "sub_appid=None"]
    if op["named"]:
        parts.append("**args")
    return f"{op['name']}({', '.join(parts)}) -> {PY_PLAIN.get(op['result'], op['result'])}"


def py_methods(ops: List[dict]) -> List[str]:
    def rows(selected: List[dict]) -> List[str]:
        out = []
        for op in selected:
            out.append(f"    /// {py_signature(op)}")
            out.append("    ///")
            out += [f"    /// {line}" for line in doc_lines(op["doc"], 80)]
            out.append(f"    {op['name']};")
        return out

    body = [op for op in ops if op["positional"] and op["positional"][0]["type"] == "body"]
    rest = [op for op in ops if op not in body]
    return ["operations! {", *rows(rest), "}", "", "body_operations! {", *rows(body), "}"]


PY_TYPES = {"text": "str", "texts": "List[str]", "fen": "int", "bool": "bool", "seconds": "float", "body": "_Body",
            "ShopRecords": "Sequence[Mapping[str, Any]]"}


def py_arg_type(arg: dict) -> str:
    t = PY_TYPES.get(base(arg), f"_t.{base(arg)}")
    if nullable_arg(arg):
        return f"Optional[{t}]"
    return f"Optional[{t}] = ..." if optional(arg) else t


def pyi_methods(ops: List[dict]) -> List[str]:
    out = []
    for op in ops:
        if op["name"] in HAND["pyi"]:
            continue
        params = ["self"] + [f"{a['name']}: {py_arg_type(a)}" for a in op["positional"]]
        if op["sub_merchant"]:
            params += ["*", "sub_mch_id: Optional[str] = ...", "sub_appid: Optional[str] = ..."]
        if op["named"]:
            params.append("**args: Any")
        result = op["result"]
        ret = PY_PLAIN.get(result, f"_t.{result}")
        line = f"    def {op['name']}({', '.join(params)}) -> {ret}: ..."
        if len(line) <= 120:
            out.append(line)
        else:
            out += [f"    def {op['name']}(", *[f"        {p}," for p in params], f"    ) -> {ret}: ..."]
    return out


def stubtest_allowlist(ops: List[dict]) -> str:
    """The operations whose stubs rightly lack the `*args` of their run-time
    signature: those that take nothing by position but a body."""
    bare = [op["name"] for op in ops if not [a for a in op["positional"] if a["type"] != "body"]]
    return ("# Operations take `*args, **kwargs` at run time and hand them to the core, which\n"
            "# refuses what the operation does not take; the stubs spell out what it takes.\n"
            "# These take no positional argument (but a body), so their stubs have no `*args`.\n"
            "# Written by packaging/gen_hosts.py from the core's operation table.\n"
            f"wxpay\\._wxpay\\.Client\\.({'|'.join(bare)})\n")


# JavaScript

JS_TYPES = {"text": "string", "texts": "string[]", "fen": "number", "bool": "boolean", "seconds": "number",
            "body": "Body", "ShopOrder": "ShopOrder | null", "ShopRecords": "Array<Record<string, unknown>>"}
JS_PLAIN = {"Text": "string", "MaybeText": "string | null", "Checked": "void"}


def node_methods(ops: List[dict], defs: Dict[str, dict], source: str) -> List[str]:
    def ts(name: str) -> str:
        # A type index.js names with a typedef of its own, or the types' own.
        return name if f"@typedef {{import('./types').{name}}} {name} */" in source else f"import('./types').{name}"

    out: List[str] = []
    for op in ops:
        if op["name"] in HAND["node"]:
            continue
        name, args = op["name"], op["positional"]
        body = bool(args) and args[0]["type"] == "body"
        if op["named"]:
            params = ["request"]
            tags = ["@param {Record<string, unknown>} request its arguments by name"]
        else:
            params = [camel(a["name"]) for a in args]
            tags = []
            for a in args:
                t = JS_TYPES.get(base(a)) or ts(base(a))
                tags.append(f"@param {{{t}}} " + (f"[{camel(a['name'])}]" if optional(a) else camel(a["name"])))
            if op["sub_merchant"]:
                params.append("subMerchant")
                tags.append("@param {SubMerchant} [subMerchant]")
        result = JS_PLAIN.get(op["result"]) or ts(op["result"])
        tags.append(f"@returns {{{f'Promise<{result}>' if op['io'] else result}}}")
        out += ["  /**", *[f"   * {line}" for line in doc_lines(op["doc"], 74)], *[f"   * {t}" for t in tags], "   */"]
        rest = [p if optional(a) is False else f"{p} ?? null" for p, a in zip(params, args)]
        if op["named"]:
            call_args = "requestJson(request, 'request')"
        elif op["sub_merchant"]:
            call_args = "subArgsJson({ " + ", ".join(params[:-1]) + " }, subMerchant)"
        elif body:
            call_args = f"'[{', '.join(rest[1:])}]'" if len(rest) == 1 else f"argsJson([{', '.join(rest[1:])}])"
        else:
            call_args = f"argsJson([{', '.join(rest)}])" if args else "'null'"
        if body and op["io"]:
            run = f"await this.#native.callBodyAsync('{name}', bodyBuffer({params[0]}), {call_args})"
            lines = [f"const {{ json, error }} = {run};", "const result = JSON.parse(json);"]
            if has_error(defs, op["result"]):
                lines.append("result.error = error ?? null;")
            lines.append("return result;")
        else:
            if body:
                run = f"JSON.parse(this.#native.callBody('{name}', bodyBuffer({params[0]}), {call_args}))"
            elif op["io"]:
                run = f"this.#call('{name}', {call_args})"
                if has_error(defs, op["result"]):
                    run = "await " + run
            elif op["sub_merchant"] or op["named"]:
                run = f"JSON.parse(this.#native.callSync('{name}', {call_args}))"
            else:
                run = f"this.#now('{name}', [{', '.join(rest)}])"
            if op["result"] == "Checked":
                # Awaited: a refusal of an async call must reach the caller.
                lines = [f"{'await ' if op['io'] and not run.startswith('await ') else ''}{run};"]
            elif has_error(defs, op["result"]):
                lines = [f"const result = {run};", "if (result.error) result.error = errorFromDetails(result.error);",
                         "return result;"]
            else:
                lines = [f"return {run};"]
        head = f"  {'async ' if op['io'] else ''}{camel(name)}({', '.join(params)}) {{"
        out += [head, *[f"    {line}" for line in lines], "  }", ""]
    return out[:-1] if out else out


# PHP

PHP_TYPES = {"text": "string", "texts": "array", "fen": "int", "bool": "bool", "seconds": "int|float", "body": "string"}
PHP_PLAIN = {"Text": "string", "MaybeText": "?string", "Checked": "void"}


def php_methods(ops: List[dict]) -> List[str]:
    out: List[str] = []
    for op in ops:
        if op["name"] in HAND["php"]:
            continue
        args = op["positional"]
        if op["named"]:
            params, values = ["array $request"], "$request"
        else:
            params = []
            for a in args:
                t = PHP_TYPES.get(base(a), "array")
                v = "$" + camel(a["name"])
                nullable = ("?" + t if "|" not in t else t + "|null")
                if optional(a):
                    params.append(f"{nullable} {v} = null")
                else:
                    params.append(f"{nullable if nullable_arg(a) else t} {v}")
            values = "[" + ", ".join(f"'{a['name']}' => ${camel(a['name'])}" for a in args) + "]"
            if op["sub_merchant"]:
                params.append("?array $subMerchant = null")
                values += " + ($subMerchant ?? [])"
        ret = PHP_PLAIN.get(op["result"], "array")
        call = f"$this->call('{op['name']}', {values})"
        if args and args[0]["type"] == "body" and not op["named"]:
            # Bytes that need not be text (a gzip bill) travel beside the JSON.
            rest = "[" + ", ".join(f"'{a['name']}' => ${camel(a['name'])}" for a in args[1:]) + "]"
            call = f"$this->callBody('{op['name']}', ${camel(args[0]['name'])}, {rest})"
        out += ["    /**", *[f"     * {line}" for line in doc_lines(op["doc"], 96)], "     */",
                f"    public function {camel(op['name'])}({', '.join(params)}): {ret}", "    {",
                f"        {call};" if ret == "void" else f"        return {call};", "    }", ""]
    return out[:-1] if out else out


# Kotlin

KT_TYPES = {"text": "String", "texts": "List<String>", "fen": "Long", "bool": "Boolean", "seconds": "Double",
            "body": "ByteArray", "ShopRecords": "List<Map<String, *>>"}


def kotlin_methods(ops: List[dict]) -> List[str]:
    out: List[str] = []
    for op in ops:
        if op["name"] in HAND["kotlin"]:
            continue
        name, args = op["name"], op["positional"]
        result = op["result"]
        ret = {"Text": "String", "MaybeText": "String?", "Checked": "Unit"}.get(result, "Map<String, Any?>")
        body = bool(args) and args[0]["type"] == "body"

        def conv(call_args: str) -> str:
            if body:
                return f'onBody("{name}", {camel(args[0]["name"])}, {call_args}).first'
            helper = {"Text": "text", "Map<String, Any?>": "map"}.get(ret if result != "Text" else "Text")
            return f'{helper}("{name}", {call_args})' if helper else f'call("{name}", {call_args})'

        def emit(params: List[str], call_args: str, doc: List[str], overloads: bool) -> None:
            expr = conv(call_args)
            out.extend(["    /**", *[f"     * {line}" for line in doc], "     */"])
            if overloads:
                out.append("    @JvmOverloads")
            out.append("    @Throws(WxPayException::class)")
            if ret == "Unit":
                out.extend([f"    fun {camel(name)}({', '.join(params)}) {{", f"        {expr}", "    }", ""])
                return
            cast = ""
            if expr.startswith(("onBody", "call")):
                cast = f" as {ret}"
                if ret.startswith("Map"):
                    out.append('    @Suppress("UNCHECKED_CAST")')
            out.extend([f"    fun {camel(name)}({', '.join(params)}): {ret} =", f"        {expr}{cast}", ""])

        doc = doc_lines(op["doc"], 96)
        if op["named"]:
            emit(["request: Map<String, *>"], "request", doc, False)
            continue
        params = []
        for a in args:
            t = KT_TYPES.get(base(a), "Map<String, *>")
            if optional(a):
                params.append(f"{camel(a['name'])}: {t}? = null")
            else:
                params.append(f"{camel(a['name'])}: {t}{'?' if nullable_arg(a) else ''}")
        plain = [a for a in args if not (body and a is args[0])]
        given = "given(" + ", ".join(f'"{a["name"]}" to {camel(a["name"])}' for a in plain
                                     if not nullable_arg(a)) + ")"
        # given() leaves out nulls (the core's default); a null that means
        # something (no such order) is handed over as it is.
        given += "".join(f' + mapOf("{a["name"]}" to {camel(a["name"])})' for a in plain if nullable_arg(a))
        emit(params, given, doc, any(optional(a) for a in args))
        if op["sub_merchant"]:
            sub_params = [p.split(" = ")[0] for p in params] + ["subMerchant: Map<String, *>"]
            emit(sub_params, f"subMerchant + {given}", [f"As [{camel(name)}] for a service provider's sub-merchant "
                                                        "(`sub_mch_id`, `sub_appid`)."], False)
    return out[:-1] if out else out


# C

C_FORMS = {"Text": ("Form::Text", "out_text"), "MaybeText": ("Form::MaybeText", "out_text"),
           "Checked": ("Form::Status", None)}


def c_methods(ops: List[dict]) -> List[str]:
    out: List[str] = []
    for op in ops:
        if op["name"] in HAND["c"]:
            continue
        name = op["name"]
        form, out_name = C_FORMS.get(op["result"], ("Form::Json", "out_json"))
        names = ", ".join(f"`{a['name']}`" for a in op["positional"]) or "none"
        doc = doc_lines(op["doc"], 76) + ["", *doc_lines(
            f"`args_json`: its arguments as for wxpay_client_call() (by position: {names}; "
            f"or by name{', with `sub_mch_id` and `sub_appid` for a sub-merchant' if op['sub_merchant'] else ''})"
            + ("; a body that is not UTF-8 text goes through wxpay_client_call_body()."
               if op["positional"] and op["positional"][0]["type"] == "body" else "."),
            76), "", "# Safety", "As wxpay_client_call()" + (
            f"; free `*{out_name}` with wxpay_string_free()." if out_name else ".")]
        params = ["    client: *const wxpay_client,", "    args_json: *const c_char,"]
        if out_name:
            params.append(f"    {out_name}: *mut *mut c_char,")
        out += [*[f"/// {line}" if line else "///" for line in doc], "#[no_mangle]",
                f"pub unsafe extern \"C\" fn wxpay_client_{name}(", *params, ") -> i32 {",
                "    // SAFETY: pointers are forwarded under the same contract.", "    unsafe {",
                f"        op_call(client, {out_name or 'std::ptr::null_mut()'}, {form}, || {{",
                f"            from_json(\"{name}\", args_json, \"args_json\")", "        })", "    }", "}", ""]
    return out[:-1] if out else out


# ----------------------------------------------------------------- API v3
#
# The v3 client of each language (ClientV3, WxPayClientV3, wxpay_client_v3_*)
# gets one method per operation of the core's v3 table (`operations_v3`),
# written between GENERATED_V3 and END lines as the v2 ones are. The
# notification operations take the framework's headers, which each language
# turns into pairs by hand, so they are written by hand in every language.

GENERATED_V3 = "<generated by packaging/gen_hosts.py from the core's v3 operation table: do not edit>"
OPERATIONS_V3 = ROOT / "tests" / "vectors" / "v3" / "operations.json"
PY_CLIENT_V3 = ROOT / "bindings" / "python" / "src" / "client_v3.rs"
PHP_CLIENT_V3 = ROOT / "bindings" / "php" / "src" / "ClientV3.php"
KOTLIN_CLIENT_V3 = ROOT / "bindings" / "jvm" / "src" / "main" / "kotlin" / "io" / "wxpay" / "WxPayClientV3.kt"
C_CLIENT_V3 = ROOT / "bindings" / "c" / "src" / "client_v3.rs"

V3_NOTIFY = {"parse_notification", "payment_notify_order", "settle_payment_notify", "handle_refund_notify"}
# The two halves of the payment notify handler, which a language may offer
# only as its one handler method (the shop's lookup runs between them).
V3_HANDLER = {"payment_notify_order": "handle_payment_notify", "settle_payment_notify": "handle_payment_notify"}
HAND_V3 = {
    "py": V3_NOTIFY,
    # Typed keyword arguments of their own, as v2's.
    "pyi": V3_NOTIFY | {"prepay", "query_order", "refund", "query_refund"},
    "node": V3_NOTIFY,
    "php": V3_NOTIFY,
    "kotlin": V3_NOTIFY,
    # Through wxpay_client_v3_call_body(), with the body's length.
    "c": V3_NOTIFY,
}


def operations_v3_json(ops: List[dict]) -> str:
    cases = []
    for op in ops:
        c = "wxpay_client_v3_call_body" if op["name"] in HAND_V3["c"] else f"wxpay_client_v3_{op['name']}"
        case = {"name": op["name"], "camel": camel(op["name"]), "c": c,
                "positional": [a["name"] for a in op["positional"]], "io": op["io"], "named": op["named"],
                "result": op["result"]}
        if op["name"] in V3_HANDLER:
            case["handler"] = V3_HANDLER[op["name"]]
        cases.append(case)
    description = ("every v3 client operation: its name in the core and in Python, camelCase in Node, PHP and the "
                   "JVM, its C function, the names its positional arguments stand for, whether it may wait on the "
                   "network, whether it takes named arguments, and what it returns (a type of "
                   "bindings/results.schema.json, or Text, MaybeText, Checked); `handler` names the method a "
                   "language may offer it through instead; written by packaging/gen_hosts.py from the core's v3 "
                   "operation table")
    return json.dumps({"description": description, "cases": cases}, ensure_ascii=False, indent=2) + "\n"


def py_methods_v3(ops: List[dict]) -> List[str]:
    def rows(selected: List[dict]) -> List[str]:
        out = []
        for op in selected:
            parts = [a["name"] + ("=None" if optional(a) else "") for a in op["positional"]]
            if op["named"]:
                parts.append("**args")
            out.append(f"    /// {op['name']}({', '.join(parts)}) -> {PY_PLAIN.get(op['result'], op['result'])}")
            out.append("    ///")
            out += [f"    /// {line}" for line in doc_lines(op["doc"], 80)]
            out.append(f"    {op['name']};")
        return out

    mine = [op for op in ops if op["name"] not in HAND_V3["py"]]
    named = [op for op in mine if op["named"] and not op["positional"]]
    rest = [op for op in mine if op not in named]
    return ["v3_operations! {", "    named [", *rows(named), "    ]", "    positional [", *rows(rest), "    ]", "}"]


def pyi_methods_v3(ops: List[dict]) -> List[str]:
    out = []
    for op in ops:
        if op["name"] in HAND_V3["pyi"]:
            continue
        params = ["self"] + [f"{a['name']}: {py_arg_type(a)}" for a in op["positional"]]
        if op["named"]:
            params.append("**args: Any")
        ret = PY_PLAIN.get(op["result"], f"_t.{op['result']}")
        out.append(f"    def {op['name']}({', '.join(params)}) -> {ret}: ...")
    return out


def hand_stub_returns(ops: List[dict], source: str) -> List[str]:
    """The hand-written v3 stubs whose return type is not the core's."""
    cls = source[source.index("class ClientV3"):]
    wrong = []
    for op in ops:
        if op["name"] not in HAND_V3["pyi"] or op["name"] in V3_HANDLER:
            continue
        want = PY_PLAIN.get(op["result"], f"_t.{op['result']}")
        m = re.search(rf"def {op['name']}\((?:[^()]|\([^()]*\))*\) -> ([^:]+): \.\.\.", cls)
        if not m or m.group(1).strip() != want:
            wrong.append(f"{op['name']} (want -> {want})")
    return wrong


AIO_V3_HEAD = """

class AsyncClientV3:
    \"\"\"``await client.prepay(...)`` etc.: :class:`wxpay.ClientV3` for asyncio
    code, every method taking the same arguments.\"\"\"

    def __init__(self, **options: Any) -> None:
        self._client = ClientV3(**options)

    @property
    def client(self) -> ClientV3:
        \"\"\"The underlying synchronous client.\"\"\"
        return self._client

    def __repr__(self) -> str:
        return "Async" + repr(self._client)

    async def parse_notification(self, headers: Any, body: Union[bytes, bytearray, memoryview, str],
                                 now: Optional[int] = None) -> Notification:
        return await asyncio.to_thread(self._client.parse_notification, headers, body, now)

    async def handle_payment_notify(
        self,
        headers: Any,
        body: Union[bytes, bytearray, memoryview, str],
        find_order: Callable[[str], Union[Optional[ShopOrder], Awaitable[Optional[ShopOrder]]]],
    ) -> NotifyDecisionV3:
        \"\"\"As :meth:`wxpay.ClientV3.handle_payment_notify`; ``find_order`` may be
        a coroutine function (an async ORM lookup).\"\"\"
        if not callable(find_order):
            raise TypeError("find_order must be callable: out_trade_no -> your order or None")
        # Verification may fetch WeChat's certificates: off the event loop.
        out_trade_no = await asyncio.to_thread(self._client.payment_notify_order, headers, body)
        order: Optional[ShopOrder] = None
        if out_trade_no is not None:
            found = find_order(out_trade_no)
            order = await found if inspect.isawaitable(found) else found
        return await asyncio.to_thread(self._client.settle_payment_notify, headers, body, order)

    async def handle_refund_notify(self, headers: Any,
                                   body: Union[bytes, bytearray, memoryview, str]) -> RefundNotifyDecisionV3:
        return await asyncio.to_thread(self._client.handle_refund_notify, headers, body)
"""


def aio_v3(ops: List[dict]) -> str:
    out = [AIO_V3_HEAD]
    for op in ops:
        if op["name"] in V3_NOTIFY:
            continue
        name, ret = op["name"], PY_PLAIN.get(op["result"], op["result"])
        call = f"self._client.{name}"
        if op["io"]:
            out += [f"    async def {name}(self, *args: Any, **kwargs: Any) -> {ret}:",
                    f"        return await asyncio.to_thread({call}, *args, **kwargs)", ""]
        else:
            body = f"{call}(*args, **kwargs)" if ret == "None" else f"return {call}(*args, **kwargs)"
            out += [f"    def {name}(self, *args: Any, **kwargs: Any) -> {ret}:", f"        {body}", ""]
    return "\n".join(out)


def node_methods_v3(ops: List[dict]) -> List[str]:
    out: List[str] = []
    for op in ops:
        if op["name"] in HAND_V3["node"]:
            continue
        name, args = op["name"], op["positional"]
        result = JS_PLAIN.get(op["result"]) or f"import('./types').{op['result']}"
        if op["named"]:
            params = ["request"]
            tags = ["@param {Record<string, unknown>} request its arguments by name (snake_case or camelCase)"]
            call_args = "/** @type {Record<string, unknown>} */ (requireObject(request, 'request'))"
        else:
            params = [camel(a["name"]) for a in args]
            tags = [f"@param {{{JS_TYPES.get(base(a), 'unknown')}}} " + (f"[{camel(a['name'])}]" if optional(a)
                                                                         else camel(a["name"])) for a in args]
            call_args = "[" + ", ".join(p if not optional(a) else f"{p} ?? null" for p, a in zip(params, args)) + "]"
        tags.append(f"@returns {{{f'Promise<{result}>' if op['io'] else result}}}")
        out += ["  /**", *[f"   * {line}" for line in doc_lines(op["doc"], 92)], *[f"   * {t}" for t in tags], "   */"]
        if op["io"]:
            run = f"this.call('{name}', {call_args})"
            lines = [f"await {run};"] if op["result"] == "Checked" else [f"return {run};"]
        else:
            lines = [f"return JSON.parse(this.#native.callSync('{name}', argsJson({call_args})));"]
        out += [f"  {'async ' if op['io'] else ''}{camel(name)}({', '.join(params)}) {{",
                *[f"    {line}" for line in lines], "  }", ""]
    return out[:-1] if out else out


def php_methods_v3(ops: List[dict]) -> List[str]:
    out: List[str] = []
    for op in ops:
        if op["name"] in HAND_V3["php"]:
            continue
        args = op["positional"]
        if op["named"]:
            params, values = ["array $request"], "$request"
        else:
            params = [(f"?{PHP_TYPES.get(base(a), 'array')} ${camel(a['name'])} = null" if optional(a)
                       else f"{PHP_TYPES.get(base(a), 'array')} ${camel(a['name'])}") for a in args]
            values = "[" + ", ".join(f"'{a['name']}' => ${camel(a['name'])}" for a in args) + "]"
        ret = PHP_PLAIN.get(op["result"], "array")
        doc = doc_lines(op["doc"], 96)
        if ret == "array":
            doc.append(f"@return array<string, mixed> shaped as {op['result']} (bindings/results.schema.json)")
        call = f"$this->call('{op['name']}', {values})"
        out += ["    /**", *[f"     * {line}" for line in doc], "     */",
                f"    public function {camel(op['name'])}({', '.join(params)}): {ret}", "    {",
                f"        {call};" if ret == "void" else f"        return {call};", "    }", ""]
    return out[:-1] if out else out


def kotlin_methods_v3(ops: List[dict]) -> List[str]:
    out: List[str] = []
    for op in ops:
        if op["name"] in HAND_V3["kotlin"]:
            continue
        name, args = op["name"], op["positional"]
        ret = {"Text": "String", "MaybeText": "String?", "Checked": "Unit"}.get(op["result"], "Map<String, Any?>")
        doc = doc_lines(op["doc"], 96)
        if ret.startswith("Map"):
            doc.append(f"Returns a map shaped as `{op['result']}` (bindings/results.schema.json).")
        if op["named"]:
            params, call_args = ["request: Map<String, *>"], "request"
        else:
            params = [f"{camel(a['name'])}: {KT_TYPES.get(base(a), 'Map<String, *>')}" + ("? = null" if optional(a) else "")
                      for a in args]
            call_args = "given(" + ", ".join(f'"{a["name"]}" to {camel(a["name"])}' for a in args) + ")"
        out += ["    /**", *[f"     * {line}" for line in doc], "     */"]
        if any(optional(a) for a in args) and not op["named"]:
            out.append("    @JvmOverloads")
        out.append("    @Throws(WxPayException::class)")
        if ret == "Unit":
            out += [f"    fun {camel(name)}({', '.join(params)}) {{", f'        call("{name}", {call_args})', "    }", ""]
        else:
            out += [f"    fun {camel(name)}({', '.join(params)}): {ret} =", f'        map("{name}", {call_args})', ""]
    return out[:-1] if out else out


def c_methods_v3(ops: List[dict]) -> List[str]:
    out: List[str] = []
    for op in ops:
        if op["name"] in HAND_V3["c"]:
            continue
        name = op["name"]
        names = ", ".join(f"`{a['name']}`" for a in op["positional"]) or "none"
        what = {"Checked": "`null`", "Text": "a JSON string", "MaybeText": "a JSON string or `null`"}.get(
            op["result"], f"an object shaped as `{op['result']}` (bindings/results.schema.json)")
        doc = doc_lines(op["doc"], 76) + ["", *doc_lines(
            f"`args_json`: its arguments as for wxpay_client_v3_call() (by position: {names}"
            f"{'; or by name' if op['named'] or op['positional'] else ''}); `*out_json`: {what}.", 76),
            "", "# Safety", "As wxpay_client_v3_call(); free `*out_json` with wxpay_string_free()."]
        out += [*[f"/// {line}" if line else "///" for line in doc], "#[no_mangle]",
                f"pub unsafe extern \"C\" fn wxpay_client_v3_{name}(",
                "    client: *const wxpay_client_v3,", "    args_json: *const c_char,",
                "    out_json: *mut *mut c_char,", ") -> i32 {",
                f"    let op = c\"{name}\";",
                "    // SAFETY: pointers are forwarded under the same contract.",
                "    unsafe { wxpay_client_v3_call(client, op.as_ptr(), args_json, out_json) }", "}", ""]
    return out[:-1] if out else out



def main() -> int:
    check = "--check" in sys.argv
    defs = json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]
    ops = json.loads(SCHEMA.read_text(encoding="utf-8"))["operations"]
    ops_v3 = json.loads(SCHEMA.read_text(encoding="utf-8"))["operations_v3"]
    stale = []

    def block(path: pathlib.Path, comment: str, lines: List[str], source: str = "", marker: str = GENERATED) -> str:
        return replace_block(path, source or path.read_text(encoding="utf-8"), comment, lines, marker)

    def v3(path: pathlib.Path, comment: str, lines: List[str], source: str = "") -> str:
        return block(path, comment, lines, source, GENERATED_V3)

    c_source = block(C_CLIENT, "//", c_methods(ops))
    pyi = v3(PYI, "#", pyi_methods_v3(ops_v3), block(PYI, "#", pyi_methods(ops)))
    node_index = block(NODE_INDEX, "//", node_methods(ops, defs, NODE_INDEX.read_text(encoding="utf-8")))
    outputs = ((OPERATIONS, operations_json(ops)), (OPERATIONS_V3, operations_v3_json(ops_v3)),
               (STUBTEST_ALLOWLIST, stubtest_allowlist(ops)), (PYTHON, python(defs)), (AIO, aio(ops, ops_v3) + aio_v3(ops_v3)),
               (NODE, node(defs) + node_options(defs)), (C_CLIENT, c_options(defs, c_source)),
               (PY_CLIENT, block(PY_CLIENT, "//", py_methods(ops))), (PYI, pyi),
               (PY_CLIENT_V3, v3(PY_CLIENT_V3, "//", py_methods_v3(ops_v3))),
               (NODE_INDEX, v3(NODE_INDEX, "//", node_methods_v3(ops_v3), node_index)),
               (PHP_CLIENT, block(PHP_CLIENT, "//", php_methods(ops))),
               (PHP_CLIENT_V3, v3(PHP_CLIENT_V3, "//", php_methods_v3(ops_v3))),
               (KOTLIN_CLIENT, block(KOTLIN_CLIENT, "//", kotlin_methods(ops))),
               (KOTLIN_CLIENT_V3, v3(KOTLIN_CLIENT_V3, "//", kotlin_methods_v3(ops_v3))),
               (C_CLIENT_V3, v3(C_CLIENT_V3, "//", c_methods_v3(ops_v3))))
    wrong = hand_stub_returns(ops_v3, pyi)
    if wrong:
        print("hand-written ClientV3 stubs in _wxpay.pyi return another type than the core's: " + ", ".join(wrong))
        return 1
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
