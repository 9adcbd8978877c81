#!/usr/bin/env python3
"""Writes the shared test vectors in tests/vectors/*.json.

Every expected signature here is computed with nothing but Python's hashlib
and hmac (and `openssl enc` for the refund-notification AES), independently
of the Rust core, following docs/protocol.md §1, §2, §7 and §8. Official vectors
are literal values copied from the protocol reference and asserted against
this independent implementation before anything is written.

Run from the repository root: python3 tests/vectors/generate.py
The JSON files are committed; every language's tests load them.
With --check nothing is written and the exit status says whether the
committed files are what this script produces (gzip output is made with
mtime 0, so the result is deterministic).

Format (every file): {"description": str, "cases": [ {...}, ... ]}
An expected failure is {"error": {"kind": "Xml", "reason": "Doctype"}}
("reason" only for Xml and Signature errors).
"""

import base64
import gzip
import hashlib
import hmac
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

KEY = "192006250b4c09247ec02edce69f6a2d"
APPID = "wxd930ea5d5a258f4f"
MCH_ID = "10000100"
MERCHANT_MD5 = {"appid": APPID, "mch_id": MCH_ID, "api_key": KEY, "sign_type": "MD5"}
MERCHANT_HMAC = dict(MERCHANT_MD5, sign_type="HMAC-SHA256")
# The service provider wxpay-sim plays, and its two sub-merchants (docs/protocol.md §15).
SP_APPID = "wx8888888888888888"
SP_MCH_ID = "1900000100"
SP_KEY = "wxpaysim0service0provider0key001"
SUB_MCH_ID_1, SUB_APPID_1 = "1900000109", "wx1111111111111111"
SUB_MCH_ID_2, SUB_APPID_2 = "1900000110", "wx2222222222222222"
PROVIDER_MD5 = {"appid": SP_APPID, "mch_id": SP_MCH_ID, "api_key": SP_KEY, "sign_type": "MD5"}


# --- an independent implementation of docs/protocol.md §1 -----------------------

def sign_string(params):
    return "&".join(
        f"{k}={params[k]}"
        for k in sorted(params, key=lambda k: k.encode())
        if k != "sign" and params[k] != ""
    )


def sign(params, key, sign_type):
    s = sign_string(params)
    temp = (s + "&" if s else "") + "key=" + key
    if sign_type == "MD5":
        return hashlib.md5(temp.encode()).hexdigest().upper()
    return hmac.new(key.encode(), temp.encode(), hashlib.sha256).hexdigest().upper()


def signed(params, key=KEY, sign_type="MD5"):
    p = dict(params)
    p["sign"] = sign(p, key, sign_type)
    return p


def recut(params, into, count):
    """Another reading of the same signed text `k=v&k=v…`: field `into`
    takes the `count` fields after it (in signing order) into its value, so
    the signature, which covers only the text, still verifies."""
    names = [k for k in sorted(params, key=lambda k: k.encode()) if k != "sign" and params[k] != ""]
    at = names.index(into)
    taken = names[at + 1:at + 1 + count]
    out = {k: v for k, v in params.items() if k not in taken}
    out[into] = "&".join([params[into]] + [f"{k}={params[k]}" for k in taken])
    assert sign_string(out) == sign_string(params)
    return out


def cdata_xml(params, root="xml"):
    """XML the way WeChat sends it: every value in CDATA."""
    body = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in params.items())
    return f"<{root}>{body}</{root}>"


def plain_xml(params):
    esc = lambda v: v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<xml>" + "".join(f"<{k}>{esc(v)}</{k}>" for k, v in params.items()) + "</xml>"


def err(kind, reason=None):
    e = {"kind": kind}
    if reason:
        e["reason"] = reason
    return {"error": e}


CHECK = "--check" in sys.argv
STALE = []


def write(name, description, cases):
    path = os.path.join(HERE, name)
    text = json.dumps({"description": description, "cases": cases}, ensure_ascii=False, indent=2) + "\n"
    if CHECK:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                STALE.append(name)
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {name}: {len(cases)} cases")


# --- official vectors, asserted against the implementation above -----------

OFFICIAL = {
    "appid": APPID, "mch_id": MCH_ID, "device_info": "1000", "body": "test",
    "nonce_str": "ibuaiVcKdpRxkhJA",
}
assert sign(OFFICIAL, KEY, "MD5") == "9A0A8659F005D6984697E2CA0A9CF3B7"
assert sign(OFFICIAL, KEY, "HMAC-SHA256") == "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"


def sign_cases():
    cases = []

    def case(name, params, sign_type, expected=None, key=KEY, official=False, error=None):
        c = {"name": name, "params": params, "key": key, "sign_type": sign_type}
        if error:
            c["expect"] = error
        else:
            computed = sign(params, key, sign_type)
            if expected is not None:
                assert computed == expected, (name, computed, expected)
            c["sign_string"] = sign_string(params)
            c["expect"] = {"ok": computed}
        if official:
            c["official"] = True
        cases.append(c)

    case("official 4_3 example, MD5", OFFICIAL, "MD5", "9A0A8659F005D6984697E2CA0A9CF3B7", official=True)
    case("official 4_3 example, HMAC-SHA256", OFFICIAL, "HMAC-SHA256",
         "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6", official=True)
    case("wechatpy test1/test2, MD5", {"test1": "test1", "test2": "test2"}, "MD5",
         "1E3A8D73B5A4AEE787C0F68B5DAB8520")
    case("wechatpy test1/test2, HMAC-SHA256", {"test1": "test1", "test2": "test2"}, "HMAC-SHA256",
         "EDAC6D70D2FDF5A2382F8204FC96A1918017E46ACC5297F565ED1A7610ACF659")
    chinese = {"appid": APPID, "mch_id": MCH_ID, "nonce_str": "ibuaiVcKdpRxkhJA",
               "body": "腾讯充值中心-QQ会员充值", "attach": "", "total_fee": "1"}
    case("Chinese body and an empty attach (dropped), MD5", chinese, "MD5", "FC443E9DD3087932F6379F45B7B8C16F")
    case("Chinese body, sign_type is signed, HMAC-SHA256", dict(chinese, sign_type="HMAC-SHA256"), "HMAC-SHA256",
         "A9F216B4A9A58AF3F5413968C324F14F9E26CA1C8C6012D5C9CA1D176FACF190")
    case("JSAPI paySign 7_7 example, MD5",
         {"appId": "wx619a931576afe069", "nonceStr": "RIPb5Upk3ku7knU6",
          "package": "prepay_id=wx2611334392677180ea59742b3744840000", "signType": "MD5",
          "timeStamp": "1774495197"}, "MD5", "1F2E9533D7D483FBCDBD0B9BCA76F97D",
         key="qazwsxedcrfvtgbyhnujmikolp111111", official=True)
    case("JSAPI paySign 7_7 example, HMAC-SHA256",
         {"appId": "wx619a931576afe069", "nonceStr": "RIPb5Upk3ku7knU6",
          "package": "prepay_id=wx2611334392677180ea59742b3744840000", "signType": "HMAC-SHA256",
          "timeStamp": "1774495197"}, "HMAC-SHA256",
         "4A04CF5B979A4920409A9DEF2322C33C96DE8E9A96830E648719C60EF991700E",
         key="qazwsxedcrfvtgbyhnujmikolp111111", official=True)
    case("mini-program paySign partner example, MD5",
         {"appId": "wxd678efh567hg6787", "nonceStr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
          "package": "prepay_id=wx2017033010242291fcfe0db70013231072", "signType": "MD5",
          "timeStamp": "1490840662"}, "MD5", "22D9B4E54AB1950F51E0649E8810ACD6",
         key="qazwsxedcrfvtgbyhnujmikolp111111", official=True)
    case("byte order: upper case before _ before lower case",
         {"Zeta": "1", "_x": "2", "appId": "3", "appid": "4"}, "MD5")
    case("an existing sign field is not signed", dict(OFFICIAL, sign="WHATEVER"), "MD5",
         "9A0A8659F005D6984697E2CA0A9CF3B7")
    case("unknown fields are signed", dict(OFFICIAL, foo_new="1"), "MD5")
    case("value with & and = (protocol property: same string as the split map)",
         {"attach": "x&total_fee=1"}, "MD5")
    case("the split map signs the same string", {"attach": "x", "total_fee": "1"}, "MD5")
    case("NFC é", {"body": "caf\u00e9"}, "MD5")
    case("NFD é (different bytes, different signature)", {"body": "cafe\u0301"}, "MD5")
    case("markup and CDATA end inside a value", {"attach": "a]]><total_fee>1</total_fee><![CDATA["}, "HMAC-SHA256")
    case("field name with =", {"a=b": "1"}, "MD5", error=err("InvalidInput"))
    case("field name with a space", {"a b": "1"}, "MD5", error=err("InvalidInput"))
    case("field name with non-ASCII", {"名": "1"}, "MD5", error=err("InvalidInput"))
    case("API key of 31 bytes", OFFICIAL, "MD5", key=KEY[:31], error=err("Config"))
    case("API key of 33 bytes", OFFICIAL, "MD5", key=KEY + "0", error=err("Config"))
    case("API key with a trailing newline", OFFICIAL, "MD5", key=KEY[:31] + "\n", error=err("Config"))
    case("empty API key", OFFICIAL, "MD5", key="", error=err("Config"))
    case("unknown sign type", OFFICIAL, "SHA1", error=err("InvalidInput"))
    case("sign type in lower case", OFFICIAL, "md5", error=err("InvalidInput"))
    write("sign.json", "sign(params, key, sign_type): expect.ok is the signature; sign_string is what is signed before &key=", cases)


def verify_cases():
    cases = []

    def case(name, params, sign_type, expect, key=KEY):
        cases.append({"name": name, "params": params, "key": key, "sign_type": sign_type, "expect": expect})

    md5 = signed(OFFICIAL)
    hm = signed(OFFICIAL, sign_type="HMAC-SHA256")
    case("official vector, MD5", md5, "MD5", {"ok": True})
    case("official vector, HMAC-SHA256", hm, "HMAC-SHA256", {"ok": True})
    case("no sign field", dict(OFFICIAL), "MD5", err("Signature", "Missing"))
    case("empty sign", dict(OFFICIAL, sign=""), "MD5", err("Signature", "Missing"))
    case("whitespace sign", dict(OFFICIAL, sign="   "), "MD5", err("Signature", "Missing"))
    flip = lambda s, i: s[:i] + ("0" if s[i] != "0" else "1") + s[i + 1:]
    case("first hex digit flipped", dict(md5, sign=flip(md5["sign"], 0)), "MD5", err("Signature", "Invalid"))
    case("last hex digit flipped", dict(md5, sign=flip(md5["sign"], 31)), "MD5", err("Signature", "Invalid"))
    for n in (31, 33, 63, 65):
        case(f"signature of {n} hex digits", dict(md5, sign=("A" * n)), "MD5", err("Signature", "Invalid"))
    case("non-hex signature", dict(md5, sign="Z" * 32), "MD5", err("Signature", "Invalid"))
    case("lower-case hex is accepted", dict(md5, sign=md5["sign"].lower()), "MD5", {"ok": True})
    case("tampered value", dict(md5, body="test2"), "MD5", err("Signature", "Invalid"))
    case("field added after signing", dict(md5, total_fee="1"), "MD5", err("Signature", "Invalid"))
    case("field removed after signing", {k: v for k, v in md5.items() if k != "device_info"}, "MD5",
         err("Signature", "Invalid"))
    down = signed(dict(OFFICIAL, sign_type="MD5"))
    case("pinned HMAC, message says MD5 with a valid MD5 sign: no downgrade", down, "HMAC-SHA256",
         err("Signature", "TypeMismatch"))
    case("pinned HMAC, no sign_type, valid 64-hex HMAC", hm, "HMAC-SHA256", {"ok": True})
    case("pinned MD5, no sign_type, 64-hex HMAC signature", hm, "MD5", err("Signature", "TypeMismatch"))
    case("pinned MD5, valid MD5 with sign_type=MD5", down, "MD5", {"ok": True})
    for bad in ("SHA1", "md5", "HMAC-SHA256 ", "hmac-sha256"):
        p = signed(dict(OFFICIAL, sign_type=bad), sign_type="HMAC-SHA256")
        case(f"sign_type {bad!r}", p, "HMAC-SHA256", err("Signature", "TypeMismatch"))
    with_empty = signed(dict(OFFICIAL, device_info=""))
    case("empty field is left out of the signature", with_empty, "MD5", {"ok": True})
    case("unknown field is verified", signed(dict(OFFICIAL, foo_new="1")), "MD5", {"ok": True})
    case("wrong key", md5, "MD5", err("Signature", "Invalid"), key="0" * 32)
    write("verify.json", "verify(params, key, sign_type): expect.ok or an error kind/reason", cases)


def xml_cases():
    cases = []

    def case(name, data, expect):
        c = {"name": name}
        if isinstance(data, bytes):
            c["input_base64"] = base64.b64encode(data).decode()
        else:
            c["input"] = data
        c["expect"] = expect
        cases.append(c)

    x = lambda reason: err("Xml", reason)
    case("CDATA and plain text", "<xml><a><![CDATA[x]]></a><b>y</b></xml>", {"ok": {"a": "x", "b": "y"}})
    case("XML declaration and whitespace between fields",
         '<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <a>1</a>\n  <b>2</b>\n</xml>\n', {"ok": {"a": "1", "b": "2"}})
    case("empty root", "<xml></xml>", {"ok": {}})
    case("self-closed field is empty", "<xml><a/><b></b></xml>", {"ok": {"a": "", "b": ""}})
    case("values keep their spaces", "<xml><a>  x  </a></xml>", {"ok": {"a": "  x  "}})
    case("1 external entity (file)",
         '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><attach>&x;</attach></xml>', x("Doctype"))
    case("2 external entity (http)",
         '<!DOCTYPE xml [<!ENTITY x SYSTEM "http://127.0.0.1:9/">]><xml><attach>&x;</attach></xml>', x("Doctype"))
    case("3 parameter entity out-of-band",
         '<!DOCTYPE xml [<!ENTITY % r SYSTEM "http://127.0.0.1:9/d"> %r;]><xml><a>1</a></xml>', x("Doctype"))
    laughs = '<!DOCTYPE xml [<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)) + ']><xml><a>&l9;</a></xml>'
    case("4 billion laughs", laughs, x("Doctype"))
    case("5 quadratic blowup",
         '<!DOCTYPE xml [<!ENTITY a "' + "A" * 20000 + '">]><xml><a>' + "&a;" * 2000 + "</a></xml>", x("Doctype"))
    notify = signed({"return_code": "SUCCESS", "appid": APPID, "mch_id": MCH_ID, "result_code": "SUCCESS"})
    case("6 harmless DOCTYPE before a valid signed message", "<!DOCTYPE xml>" + cdata_xml(notify), x("Doctype"))
    case("6b lower-case doctype", "<!doctype xml><xml><a>1</a></xml>", x("Doctype"))
    case("6c DOCTYPE inside the root", "<xml><!DOCTYPE xml><a>1</a></xml>", x("Doctype"))
    case("7 undeclared entity", "<xml><a>&foo;</a></xml>", x("Malformed"))
    case("8 predefined and numeric references", "<xml><a>&lt;&amp;&gt;&quot;&apos;&#x4E2D;&#20013;</a></xml>",
         {"ok": {"a": "<&>\"'中中"}})
    case("9 body one byte over 64 KiB", "<xml><a>" + "x" * (65536 - 14) + "</a></xml>", x("TooLarge"))
    case("9b value over 16 KiB", "<xml><a>" + "x" * (16 * 1024 + 1) + "</a></xml>", x("TooLarge"))
    case("10 deep nesting", "<xml>" + "<a>" * 5000 + "</a>" * 5000 + "</xml>", x("TooDeep"))
    case("11 too many fields", "<xml>" + "".join(f"<f{i}/>" for i in range(300)) + "</xml>", x("TooManyFields"))
    case("11b exactly 256 fields", "<xml>" + "".join(f"<f{i}/>" for i in range(256)) + "</xml>",
         {"ok": {f"f{i}": "" for i in range(256)}})
    case("12 duplicate field", "<xml><total_fee>1</total_fee><total_fee>10000</total_fee></xml>", x("Duplicate"))
    case("13 names are case-sensitive", "<xml><Total_fee>1</Total_fee><total_fee>2</total_fee></xml>",
         {"ok": {"Total_fee": "1", "total_fee": "2"}})
    case("14 CDATA number", "<xml><total_fee><![CDATA[1]]></total_fee></xml>", {"ok": {"total_fee": "1"}})
    case("15 mixed content is concatenated", "<xml><out_trade_no><![CDATA[ab]]>cd</out_trade_no></xml>",
         {"ok": {"out_trade_no": "abcd"}})
    case("16 comment inside a value", "<xml><total_fee>1<!--x-->00</total_fee></xml>", x("Malformed"))
    case("16b comment between fields", "<xml><!-- hi --><a>1</a></xml>", x("Malformed"))
    case("16c processing instruction", "<xml><?php echo 1; ?><a>1</a></xml>", x("Malformed"))
    case("16d second XML declaration", '<?xml version="1.0"?><?xml version="1.0"?><xml/>', x("Malformed"))
    case("17 element inside a field", "<xml><attach><b>x</b></attach></xml>", x("TooDeep"))
    case("17b XInclude inside a field",
         '<xml><attach><xi:include href="file:///etc/passwd"/></attach></xml>', x("TooDeep"))
    case("18 attribute on a field", '<xml><total_fee fee_type="USD">1</total_fee></xml>', x("Malformed"))
    case("18b attribute on the root", '<xml a="1"><b>1</b></xml>', x("Malformed"))
    case("19 root is not xml", "<root><a>1</a></root>", x("Malformed"))
    case("19b two roots", "<xml><a>1</a></xml><xml><a>2</a></xml>", x("Malformed"))
    case("19c trailing bytes", "<xml><a>1</a></xml>garbage", x("Malformed"))
    case("19d empty body", "", x("Malformed"))
    case("19e whitespace body", "  \n ", x("Malformed"))
    case("19f text between fields", "<xml>oops<a>1</a></xml>", x("Malformed"))
    case("19g field name with a dash", "<xml><a-b>1</a-b></xml>", x("Malformed"))
    case("19h namespaced field", "<xml><x:a>1</x:a></xml>", x("Malformed"))
    case("20 truncated mid-tag", "<xml><a>1</a><b", x("Malformed"))
    case("20b truncated mid-CDATA", "<xml><a><![CDATA[12", x("Malformed"))
    case("20c truncated before the root closes", "<xml><a>1</a>", x("Malformed"))
    case("20d truncated inside a multi-byte character", "<xml><a>中</a></xml>".encode()[:10], x("Encoding"))
    case("20e mismatched closing tag", "<xml><a>1</b></xml>", x("Malformed"))
    case("21 encoding GBK declared", '<?xml version="1.0" encoding="GBK"?><xml><a>1</a></xml>', x("Encoding"))
    case("21b UTF-16LE with BOM", b"\xff\xfe" + "<xml><a>1</a></xml>".encode("utf-16-le"), x("Encoding"))
    case("22 invalid UTF-8 C3 28", b"<xml><a>\xc3\x28</a></xml>", x("Encoding"))
    case("22b overlong C0 80", b"<xml><a>\xc0\x80</a></xml>", x("Encoding"))
    case("22c surrogate ED A0 80", b"<xml><a>\xed\xa0\x80</a></xml>", x("Encoding"))
    case("23 UTF-8 BOM is accepted", b"\xef\xbb\xbf<xml><a>1</a></xml>", {"ok": {"a": "1"}})
    case("24 NUL byte in a value", b"<xml><a>1\x002</a></xml>", x("Malformed"))
    case("24b control character in a value", b"<xml><a>1\x072</a></xml>", x("Malformed"))
    case("24c control character by reference", "<xml><a>1&#1;2</a></xml>", x("Malformed"))
    case("tab, CR and LF are kept", "<xml><a>1\t2\r\n3</a></xml>", {"ok": {"a": "1\t2\r\n3"}})
    case("encoding utf-8 in lower case", '<?xml version="1.0" encoding="utf-8"?><xml><a>1</a></xml>', {"ok": {"a": "1"}})
    case("Chinese values", "<xml><body><![CDATA[腾讯充值中心-QQ会员充值]]></body></xml>", {"ok": {"body": "腾讯充值中心-QQ会员充值"}})
    case("text outside the root", "x<xml><a>1</a></xml>", x("Malformed"))
    case("dangling ampersand", "<xml><a>1 & 2</a></xml>", x("Malformed"))
    write("xml.json", "from_xml(input): input is UTF-8 text, or bytes as input_base64", cases)

    round_trips = [
        {"attach": "a]]><total_fee>1</total_fee><![CDATA["},
        {"body": "<total_fee>1</total_fee>"},
        {"attach": "&key=x", "body": "腾讯-游戏"},
        {"a": "1 < 2 & 3 > 2", "b": "\"quoted\" 'single'"},
        {"a": "line1\r\nline2\rline3\n", "b": "\ttab"},
        {"a": "", "b": "   "},
        {},
        {"emoji": "pay 😀"},
    ]
    write("xml_roundtrip.json", "from_xml(to_xml(fields)) == fields",
          [{"name": f"round trip {i}", "fields": f} for i, f in enumerate(round_trips)]
          + [{"name": "NUL cannot be written", "fields": {"a": "x\u0000y"}, "expect": err("InvalidInput")},
             {"name": "bad field name cannot be written", "fields": {"a b": "1"}, "expect": err("InvalidInput")}])


def jssdk_cases():
    t = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"

    def jsig(ticket, nonce, ts, url):
        url = url.split("#")[0]
        return hashlib.sha1(f"jsapi_ticket={ticket}&noncestr={nonce}&timestamp={ts}&url={url}".encode()).hexdigest()

    cases = []

    def case(name, url, expected=None, official=False, error=None, ticket=t):
        c = {"name": name, "jsapi_ticket": ticket, "noncestr": "Wm3WZYTPz0wzccnW", "timestamp": 1414587457, "url": url}
        if error:
            c["expect"] = error
        else:
            got = jsig(ticket, "Wm3WZYTPz0wzccnW", 1414587457, url)
            if expected:
                assert got == expected
            c["expect"] = {"ok": got}
        if official:
            c["official"] = True
        cases.append(c)

    case("official example, url with query", "http://mp.weixin.qq.com?params=value",
         "0f9de62fce790f9a083d5c99e95740ceb90c27ed", official=True)
    case("official example, older doc without query", "http://mp.weixin.qq.com",
         "f4d90daf4b3bca3078ab155816175ba34c443a7b", official=True)
    case("fragment is stripped", "http://mp.weixin.qq.com?params=value#/route?x=1",
         "0f9de62fce790f9a083d5c99e95740ceb90c27ed")
    case("percent escapes are kept byte for byte", "https://shop.example/pay?q=a%20b")
    case("empty ticket", "https://shop.example/", error=err("InvalidInput"), ticket="")
    case("url that is not http(s)", "ftp://shop.example/", error=err("InvalidInput"))
    write("jssdk.json", "jssdk_signature(jsapi_ticket, noncestr, timestamp, url)", cases)


def pay_params_cases():
    cases = []
    k2 = "qazwsxedcrfvtgbyhnujmikolp111111"

    def bridge(name, appid, key, st, prepay, ts, nonce, expected=None, official=False):
        p = {"appId": appid, "timeStamp": str(ts), "nonceStr": nonce, "package": f"prepay_id={prepay}", "signType": st}
        s = sign(p, key, st)
        if expected:
            assert s == expected
        c = {"name": name, "shape": "bridge", "merchant": {"appid": appid, "mch_id": MCH_ID, "api_key": key, "sign_type": st},
             "prepay_id": prepay, "timestamp": ts, "nonce": nonce, "expect": {"ok": dict(p, paySign=s)}}
        if official:
            c["official"] = True
        cases.append(c)
        jc = dict(c, name=name + " (wx.chooseWXPay shape)", shape="jssdk")
        jc["expect"] = {"ok": {"timestamp": str(ts), "nonceStr": nonce, "package": f"prepay_id={prepay}",
                               "signType": st, "paySign": s}}
        jc.pop("official", None)
        cases.append(jc)

    bridge("7_7 example, MD5", "wx619a931576afe069", k2, "MD5", "wx2611334392677180ea59742b3744840000",
           1774495197, "RIPb5Upk3ku7knU6", "1F2E9533D7D483FBCDBD0B9BCA76F97D", official=True)
    bridge("7_7 example, HMAC-SHA256", "wx619a931576afe069", k2, "HMAC-SHA256", "wx2611334392677180ea59742b3744840000",
           1774495197, "RIPb5Upk3ku7knU6", "4A04CF5B979A4920409A9DEF2322C33C96DE8E9A96830E648719C60EF991700E", official=True)
    bridge("partner example, MD5", "wxd678efh567hg6787", k2, "MD5", "wx2017033010242291fcfe0db70013231072",
           1490840662, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "22D9B4E54AB1950F51E0649E8810ACD6", official=True)
    app = {"appid": "wxd930ea5d5a258f4f", "partnerid": MCH_ID, "prepayid": "wx201410272009395522657a690389285100",
           "package": "Sign=WXPay", "noncestr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "timestamp": "1412000000"}
    cases.append({"name": "App PayReq, HMAC-SHA256", "shape": "app", "merchant": MERCHANT_HMAC,
                  "prepay_id": app["prepayid"], "timestamp": 1412000000, "nonce": app["noncestr"],
                  "expect": {"ok": dict(app, sign=sign(app, KEY, "HMAC-SHA256"))}})
    cases.append({"name": "prepay_id with a space", "shape": "bridge", "merchant": MERCHANT_MD5,
                  "prepay_id": "wx1 2", "timestamp": 1, "nonce": "n", "expect": err("InvalidInput")})
    cases.append({"name": "empty prepay_id", "shape": "bridge", "merchant": MERCHANT_MD5,
                  "prepay_id": "", "timestamp": 1, "nonce": "n", "expect": err("InvalidInput")})
    write("pay_params.json", "front-end pay params for prepay_id with a fixed timestamp and nonce", cases)


PAID = {
    "appid": APPID, "mch_id": MCH_ID, "nonce_str": "5d2b6c2a8db53831f7eda20af46e531c",
    "result_code": "SUCCESS", "return_code": "SUCCESS", "openid": "oUpF8uMEb4qRXf22hE3X68TekukE",
    "is_subscribe": "Y", "trade_type": "JSAPI", "bank_type": "CMB_CREDIT", "total_fee": "10000",
    "fee_type": "CNY", "cash_fee": "10000", "transaction_id": "1004400740201409030005092168",
    "out_trade_no": "order-A-0001", "time_end": "20140903131540", "attach": "支付测试",
}


def notify_cases():
    cases = []

    def case(name, merchant, body, expect, expected_total_fee=None, amount_expect=None):
        c = {"name": name, "merchant": merchant}
        if isinstance(body, bytes):
            c["body_base64"] = base64.b64encode(body).decode()
        else:
            c["body"] = body
        c["expect"] = expect
        if expected_total_fee is not None:
            c["expected_total_fee"] = expected_total_fee
            c["amount_expect"] = amount_expect
        cases.append(c)

    ok = lambda p, paid=True: {"ok": {"paid": paid, "out_trade_no": p["out_trade_no"],
                                      "transaction_id": p.get("transaction_id"),
                                      "total_fee": int(p["total_fee"]) if p.get("total_fee") else None}}
    good = signed(PAID)
    case("54 valid notification, MD5, CDATA", MERCHANT_MD5, cdata_xml(good), ok(good), 10000, {"ok": True})
    case("54b valid notification, plain text", MERCHANT_MD5, plain_xml(good), ok(good))
    hm = signed(PAID, sign_type="HMAC-SHA256")
    case("36 HMAC notification without sign_type", MERCHANT_HMAC, cdata_xml(hm), ok(hm))
    hm2 = signed(dict(PAID, sign_type="HMAC-SHA256"), sign_type="HMAC-SHA256")
    case("HMAC notification with sign_type", MERCHANT_HMAC, cdata_xml(hm2), ok(hm2))
    case("35 merchant pins HMAC, notification downgrades to MD5", MERCHANT_HMAC,
         cdata_xml(signed(dict(PAID, sign_type="MD5"))), err("Signature", "TypeMismatch"))
    case("55 forged: signed with another key", MERCHANT_MD5, cdata_xml(signed(PAID, key="0" * 32)), err("Signature", "Invalid"))
    case("55b tampered amount after signing", MERCHANT_MD5, cdata_xml(dict(good, total_fee="1")), err("Signature", "Invalid"))
    case("30 no sign", MERCHANT_MD5, cdata_xml(PAID), err("Signature", "Missing"))
    case("56 amount differs from the shop's order", MERCHANT_MD5, cdata_xml(good), ok(good), 9999, err("Mismatch"))
    usd = signed(dict(PAID, fee_type="USD"))
    case("57 fee_type USD", MERCHANT_MD5, cdata_xml(usd), ok(usd), 10000, err("Mismatch"))
    nofee = signed({k: v for k, v in PAID.items() if k != "fee_type"})
    case("57b fee_type missing means CNY", MERCHANT_MD5, cdata_xml(nofee), ok(nofee), 10000, {"ok": True})
    case("58 appid of another account", MERCHANT_MD5, cdata_xml(signed(dict(PAID, appid="wx0000000000000000"))), err("Mismatch"))
    case("58b mch_id of another merchant", MERCHANT_MD5, cdata_xml(signed(dict(PAID, mch_id="10000999"))), err("Mismatch"))
    failed = signed({k: v for k, v in dict(PAID, result_code="FAIL", err_code="NOTENOUGH", err_code_des="余额不足").items()
                     if k not in ("transaction_id", "time_end")})
    case("60 result_code FAIL is authentic but not paid", MERCHANT_MD5, cdata_xml(failed),
         {"ok": {"paid": False, "out_trade_no": PAID["out_trade_no"], "transaction_id": None, "total_fee": 10000}},
         10000, err("Mismatch"))
    case("61 return_code FAIL", MERCHANT_MD5, cdata_xml({"return_code": "FAIL", "return_msg": "签名失败"}), err("Protocol"))
    coupon = signed(dict(PAID, cash_fee="9000", coupon_fee="1000", coupon_count="1", coupon_id_0="10000",
                         coupon_fee_0="1000", coupon_type_0="CASH"))
    case("70 coupon: amount check uses total_fee", MERCHANT_MD5, cdata_xml(coupon), ok(coupon), 10000, {"ok": True})
    for i, bad in enumerate(["010000", "+10000", "1e4", "10000.0", " 10000", "-1", "18446744073709551616"]):
        p = signed(dict(PAID, total_fee=bad))
        case(f"71.{i} total_fee {bad!r} is not an amount", MERCHANT_MD5, cdata_xml(p), err("Protocol"))
    case("42 unknown field is verified and kept", MERCHANT_MD5, cdata_xml(signed(dict(PAID, foo_new="1"))), ok(good))
    case("40 empty field present", MERCHANT_MD5, cdata_xml(signed(dict(PAID, device_info="")))
         , ok(good))
    case("23 BOM before a signed notification", MERCHANT_MD5, b"\xef\xbb\xbf" + cdata_xml(good).encode(), ok(good))
    case("6 DOCTYPE before a signed notification", MERCHANT_MD5, "<!DOCTYPE xml>" + cdata_xml(good), err("Xml", "Doctype"))
    case("12 duplicate total_fee", MERCHANT_MD5,
         cdata_xml(good).replace("</xml>", "<total_fee>1</total_fee></xml>"), err("Xml", "Duplicate"))
    case("8 entities decoded before verifying", MERCHANT_MD5,
         plain_xml(signed(dict(PAID, attach="a<b&c 中")))
         .replace("中", "&#x4E2D;"), ok(good))
    case("74 JSON body", MERCHANT_MD5, json.dumps(PAID), err("Xml", "Malformed"))
    case("74b empty body", MERCHANT_MD5, "", err("Xml", "Malformed"))
    case("paid notification without transaction_id", MERCHANT_MD5,
         cdata_xml(signed({k: v for k, v in PAID.items() if k != "transaction_id"})), err("Protocol"))
    # Re-cut signed messages (docs/security.md §3): the signature verifies,
    # so only the formats of the fields WeChat writes can refuse them.
    recuts = [
        ("bank_type takes cash_fee and fee_type", good, "bank_type", 2),
        ("out_trade_no takes result_code and return_code", good, "out_trade_no", 2),
        ("openid takes out_trade_no", good, "openid", 1),
        ("time_end takes total_fee and trade_type", good, "time_end", 2),
        ("total_fee takes trade_type and transaction_id", good, "total_fee", 2),
        ("mch_id takes nonce_str and openid", good, "mch_id", 2),
        ("coupon_id_0 takes coupon_type_0", coupon, "coupon_id_0", 1),
        # Free text runs on: a USD payment would read as CNY (fee_type gone).
        ("attach takes bank_type, cash_fee and fee_type=USD", usd, "attach", 3),
    ]
    for name, source, into, count in recuts:
        case(f"re-cut: {name}", MERCHANT_MD5, cdata_xml(recut(source, into, count)), err("Protocol"))
    # The other side of the same ambiguity: free text that reads on into a
    # field of the message is refused even when it is what was sent.
    case("attach holding '&fee_type=' text", MERCHANT_MD5, cdata_xml(signed(dict(PAID, attach="gift&fee_type=USD"))),
         err("Protocol"))
    amp = signed(dict(PAID, attach="tea & cake = 2&size=L"))
    case("attach holding & and = but no field of the message", MERCHANT_MD5, cdata_xml(amp), ok(amp))
    for field, bad in [("transaction_id", "4200000001x"), ("out_trade_no", "order A"), ("trade_type", "jsapi"),
                       ("is_subscribe", "yes"), ("time_end", "2014-09-03"), ("cash_fee", "1.00")]:
        case(f"{field} {bad!r} is not in WeChat's format", MERCHANT_MD5, cdata_xml(signed(dict(PAID, **{field: bad}))),
             err("Protocol"))
    write("notify.json", "PaymentNotify.verify(merchant, body); then check_amount(expected_total_fee) when given", cases)


def openssl_aes_ecb(plain: bytes, key_hex_ascii: str) -> bytes:
    return subprocess.run(
        ["openssl", "enc", "-aes-256-ecb", "-K", key_hex_ascii.encode().hex()],
        input=plain, capture_output=True, check=True).stdout


def refund_notify_cases():
    key_star = hashlib.md5(KEY.encode()).hexdigest()
    assert key_star == "d96eb16afdd491fa1e705096edbc2205"
    official_plain = b"<root><refund_status><![CDATA[SUCCESS]]></refund_status></root>"
    official_ct = base64.b64encode(openssl_aes_ecb(official_plain, key_star)).decode()
    assert official_ct == "bDP/xixH0hFEaZusu714U7rO4wZDF5SwkOt7MIFNUaladrdy0yQefoW3LYmmUmF3r7t23yZjibKV29fZKVgeUQ=="
    info = {"out_refund_no": "refund-0001", "out_trade_no": "order-A-0001", "refund_account": "REFUND_SOURCE_RECHARGE_FUNDS",
            "refund_fee": "3960", "refund_id": "50000408942018111907145868882", "refund_recv_accout": "支付用户零钱",
            "refund_request_source": "API", "refund_status": "SUCCESS", "settlement_refund_fee": "3960",
            "settlement_total_fee": "3960", "success_time": "2018-11-19 16:24:13", "total_fee": "3960",
            "transaction_id": "4200000215201811190261405420"}
    ct = base64.b64encode(openssl_aes_ecb(cdata_xml(info, "root").encode(), key_star)).decode()
    outer = {"return_code": "SUCCESS", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "TeqClE3i0mvn3DrK", "req_info": ct}
    cases = [
        {"name": "decrypt the docs/protocol.md §7 vector", "req_info": official_ct, "api_key": KEY,
         "expect": {"ok": {"refund_status": "SUCCESS"}}},
        {"name": "full refund notification", "merchant": MERCHANT_MD5, "body": cdata_xml(outer),
         "expect": {"ok": info}},
        {"name": "encrypted with another key", "merchant": MERCHANT_MD5,
         "body": cdata_xml(dict(outer, req_info=base64.b64encode(openssl_aes_ecb(cdata_xml(info, "root").encode(), "0" * 32)).decode())),
         "expect": err("Signature", "Invalid")},
        {"name": "req_info not base64", "merchant": MERCHANT_MD5, "body": cdata_xml(dict(outer, req_info="%%%")),
         "expect": err("Signature", "Invalid")},
        {"name": "req_info truncated", "merchant": MERCHANT_MD5, "body": cdata_xml(dict(outer, req_info=ct[:-8])),
         "expect": err("Signature", "Invalid")},
        {"name": "another merchant's notification", "merchant": MERCHANT_MD5,
         "body": cdata_xml(dict(outer, mch_id="10000999")), "expect": err("Mismatch")},
        {"name": "return_code FAIL", "merchant": MERCHANT_MD5,
         "body": cdata_xml({"return_code": "FAIL", "return_msg": "err"}), "expect": err("Protocol")},
    ]
    write("refund_notify.json", "decrypt_req_info(req_info, api_key) or RefundNotify.parse(merchant, body); ok lists the decrypted fields", cases)


def oauth_cases():
    cases = [
        {"name": "wechatpy expected URL", "base_url": "https://open.weixin.qq.com", "appid": "123456",
         "redirect_uri": "http://localhost", "scope": "snsapi_base", "state": None,
         "expect": {"ok": "https://open.weixin.qq.com/connect/oauth2/authorize?appid=123456&redirect_uri=http%3A%2F%2Flocalhost&response_type=code&scope=snsapi_base#wechat_redirect"}},
        {"name": "state and userinfo scope, query in redirect_uri", "base_url": "http://127.0.0.1:8000",
         "appid": APPID, "redirect_uri": "https://shop.example/cb?next=/pay&x=1", "scope": "snsapi_userinfo", "state": "abc123",
         "expect": {"ok": "http://127.0.0.1:8000/connect/oauth2/authorize?appid=wxd930ea5d5a258f4f&redirect_uri=https%3A%2F%2Fshop.example%2Fcb%3Fnext%3D%2Fpay%26x%3D1&response_type=code&scope=snsapi_userinfo&state=abc123#wechat_redirect"}},
        {"name": "state with a dash", "base_url": "https://open.weixin.qq.com", "appid": APPID,
         "redirect_uri": "https://shop.example/cb", "scope": "snsapi_base", "state": "a-b", "expect": err("InvalidInput")},
        {"name": "state of 129 bytes", "base_url": "https://open.weixin.qq.com", "appid": APPID,
         "redirect_uri": "https://shop.example/cb", "scope": "snsapi_base", "state": "a" * 129, "expect": err("InvalidInput")},
        {"name": "unknown scope", "base_url": "https://open.weixin.qq.com", "appid": APPID,
         "redirect_uri": "https://shop.example/cb", "scope": "snsapi_login", "state": None, "expect": err("InvalidInput")},
        {"name": "relative redirect_uri", "base_url": "https://open.weixin.qq.com", "appid": APPID,
         "redirect_uri": "/cb", "scope": "snsapi_base", "state": None, "expect": err("InvalidInput")},
    ]
    write("oauth.json", "oauth_authorize_url(base_url, appid, redirect_uri, scope, state)", cases)


def reply_cases():
    """Pay API replies checked against the request they answer."""
    cases = []
    req_uo = {"trade_type": "JSAPI", "out_trade_no": "order-A-0001"}

    def case(name, api, merchant, body, expect, request=None):
        cases.append({"name": name, "api": api, "merchant": merchant, "request": request or {}, "body": body, "expect": expect})

    uo = {"return_code": "SUCCESS", "return_msg": "OK", "appid": APPID, "mch_id": MCH_ID,
          "nonce_str": "IITRi8Iabbblz1Jc", "result_code": "SUCCESS", "prepay_id": "wx201411101639507cbf6ffd8b0779950874",
          "trade_type": "JSAPI"}
    case("unifiedorder success, MD5", "unifiedorder", MERCHANT_MD5, cdata_xml(signed(uo)),
         {"ok": {"prepay_id": uo["prepay_id"]}}, req_uo)
    case("unifiedorder success, HMAC", "unifiedorder", MERCHANT_HMAC, cdata_xml(signed(uo, sign_type="HMAC-SHA256")),
         {"ok": {"prepay_id": uo["prepay_id"]}}, req_uo)
    case("51 unifiedorder with a bad sign: prepay_id never returned", "unifiedorder", MERCHANT_MD5,
         cdata_xml(dict(signed(uo), prepay_id="wx_attacker")), err("Signature", "Invalid"), req_uo)
    case("51b unifiedorder without sign", "unifiedorder", MERCHANT_MD5, cdata_xml(uo), err("Signature", "Missing"), req_uo)
    case("52 return_code FAIL", "unifiedorder", MERCHANT_MD5,
         cdata_xml({"return_code": "FAIL", "return_msg": "签名错误"}), err("Protocol"), req_uo)
    biz = {k: v for k, v in uo.items() if k not in ("prepay_id", "trade_type")}
    case("ORDERPAID", "unifiedorder", MERCHANT_MD5,
         cdata_xml(signed(dict(biz, result_code="FAIL", err_code="ORDERPAID", err_code_des="该订单已支付"))),
         {"error": {"kind": "Business", "err_code": "ORDERPAID", "retryable": False}}, req_uo)
    case("SYSTEMERROR is retryable", "unifiedorder", MERCHANT_MD5,
         cdata_xml(signed(dict(biz, result_code="FAIL", err_code="SYSTEMERROR", err_code_des="系统错误"))),
         {"error": {"kind": "Business", "err_code": "SYSTEMERROR", "retryable": True}}, req_uo)
    case("reply from another merchant", "unifiedorder", MERCHANT_MD5, cdata_xml(signed(dict(uo, mch_id="10000999"))),
         err("Mismatch"), req_uo)
    native = dict(uo, trade_type="NATIVE", code_url="weixin://wxpay/bizpayurl?pr=abc")
    case("NATIVE reply carries code_url", "unifiedorder", MERCHANT_MD5, cdata_xml(signed(native)),
         {"ok": {"prepay_id": uo["prepay_id"], "code_url": native["code_url"]}},
         {"trade_type": "NATIVE", "out_trade_no": "order-A-0001"})
    case("NATIVE reply without code_url", "unifiedorder", MERCHANT_MD5, cdata_xml(signed(dict(uo, trade_type="NATIVE"))),
         err("Protocol"), {"trade_type": "NATIVE", "out_trade_no": "order-A-0001"})

    oq = {"return_code": "SUCCESS", "return_msg": "OK", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "a",
          "result_code": "SUCCESS", "openid": "oUpF8uN95-Ptaags6E_roPHg7AG0", "is_subscribe": "Y", "trade_type": "JSAPI",
          "bank_type": "CCB_DEBIT", "total_fee": "10000", "fee_type": "CNY", "transaction_id": "1008450740201411110005820873",
          "out_trade_no": "order-A-0001", "attach": "", "time_end": "20141111170043", "trade_state": "SUCCESS",
          "cash_fee": "9000", "coupon_fee": "1000", "coupon_count": "2", "coupon_id_0": "c0", "coupon_fee_0": "600",
          "coupon_type_0": "CASH", "coupon_id_1": "c1", "coupon_fee_1": "400"}
    req_oq = {"out_trade_no": "order-A-0001"}
    case("orderquery SUCCESS with indexed coupons", "orderquery", MERCHANT_MD5, cdata_xml(signed(oq)),
         {"ok": {"trade_state": "SUCCESS", "total_fee": 10000, "coupons": [
             {"id": "c0", "fee": 600, "coupon_type": "CASH"}, {"id": "c1", "fee": 400, "coupon_type": None}]}}, req_oq)
    notpay = {k: oq[k] for k in ("return_code", "appid", "mch_id", "nonce_str", "result_code", "out_trade_no", "total_fee")}
    notpay.update(trade_state="NOTPAY", trade_state_desc="订单未支付")
    case("orderquery NOTPAY", "orderquery", MERCHANT_MD5, cdata_xml(signed(notpay)),
         {"ok": {"trade_state": "NOTPAY", "total_fee": 10000, "coupons": []}}, req_oq)
    case("69 unknown trade_state", "orderquery", MERCHANT_MD5, cdata_xml(signed(dict(notpay, trade_state="WHATEVER"))),
         err("Protocol"), req_oq)
    case("reply about another order", "orderquery", MERCHANT_MD5, cdata_xml(signed(dict(oq, out_trade_no="order-B-0002"))),
         err("Mismatch"), req_oq)
    case("coupon_count without the coupons", "orderquery", MERCHANT_MD5,
         cdata_xml(signed({k: v for k, v in oq.items() if k != "coupon_id_1"})), err("Protocol"), req_oq)
    case("68 orderquery with an invalid signature", "orderquery", MERCHANT_MD5,
         cdata_xml(dict(signed(notpay), trade_state="SUCCESS")), err("Signature", "Invalid"), req_oq)
    case("ORDERNOTEXIST", "orderquery", MERCHANT_MD5,
         cdata_xml(signed({"return_code": "SUCCESS", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "a",
                           "result_code": "FAIL", "err_code": "ORDERNOTEXIST", "err_code_des": "此交易订单号不存在"})),
         {"error": {"kind": "Business", "err_code": "ORDERNOTEXIST", "retryable": False}}, req_oq)

    # Re-cut signed replies (docs/security.md §3): what a man in the middle
    # could do with a genuine reply if the formats were not checked.
    unpaid = signed(dict(notpay, attach="cart-7&bank_type=CMB&cash_fee=10000", trade_state_desc="订单未支付"))
    case("re-cut orderquery: attach reads on into bank_type and cash_fee", "orderquery", MERCHANT_MD5,
         cdata_xml(unpaid), err("Protocol"), req_oq)
    case("re-cut orderquery: total_fee takes trade_state", "orderquery", MERCHANT_MD5,
         cdata_xml(recut(signed(oq), "total_fee", 1)), err("Protocol"), req_oq)
    case("re-cut unifiedorder: nonce_str takes prepay_id", "unifiedorder", MERCHANT_MD5,
         cdata_xml(recut(signed(uo), "nonce_str", 1)), err("Protocol"), req_uo)

    closed = {"return_code": "SUCCESS", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "a", "result_code": "FAIL",
              "err_code": "ORDERCLOSED", "err_code_des": "订单已关闭"}
    case("closeorder ORDERCLOSED means already closed", "closeorder", MERCHANT_MD5, cdata_xml(signed(closed)),
         {"ok": {"already_closed": True}}, req_oq)
    case("closeorder success", "closeorder", MERCHANT_MD5,
         cdata_xml(signed({"return_code": "SUCCESS", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "a", "result_code": "SUCCESS"})),
         {"ok": {"already_closed": False}}, req_oq)
    case("closeorder ORDERPAID stays an error", "closeorder", MERCHANT_MD5,
         cdata_xml(signed(dict(closed, err_code="ORDERPAID"))), {"error": {"kind": "Business", "err_code": "ORDERPAID", "retryable": False}}, req_oq)

    rq = {"return_code": "SUCCESS", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "a", "result_code": "SUCCESS",
          "transaction_id": "1008450740201411110005820873", "out_trade_no": "order-A-0001", "total_fee": "10000",
          "cash_fee": "10000", "refund_count": "2",
          "out_refund_no_0": "refund-0001", "refund_id_0": "2008450740201411110000174436", "refund_fee_0": "3000",
          "refund_status_0": "SUCCESS", "refund_recv_accout_0": "支付用户零钱", "refund_success_time_0": "2014-11-11 17:30:00",
          "coupon_refund_count_0": "1", "coupon_refund_id_0_0": "cr0", "coupon_refund_fee_0_0": "100", "coupon_type_0_0": "CASH",
          "out_refund_no_1": "refund-0002", "refund_id_1": "2008450740201411110000174437", "refund_fee_1": "2000",
          "refund_status_1": "PROCESSING"}
    case("refundquery with two refunds and a coupon", "refundquery", MERCHANT_MD5, cdata_xml(signed(rq)),
         {"ok": {"refunds": [
             {"out_refund_no": "refund-0001", "refund_fee": 3000, "refund_status": "SUCCESS", "coupons": 1},
             {"out_refund_no": "refund-0002", "refund_fee": 2000, "refund_status": "PROCESSING", "coupons": 0}]}}, req_oq)
    case("refundquery missing an indexed field", "refundquery", MERCHANT_MD5,
         cdata_xml(signed({k: v for k, v in rq.items() if k != "refund_fee_1"})), err("Protocol"), req_oq)

    rf = {"return_code": "SUCCESS", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "a", "result_code": "SUCCESS",
          "transaction_id": "1008450740201411110005820873", "out_trade_no": "order-A-0001", "out_refund_no": "refund-0001",
          "refund_id": "2008450740201411110000174436", "refund_fee": "3000", "total_fee": "10000", "cash_fee": "10000"}
    req_rf = {"out_trade_no": "order-A-0001", "out_refund_no": "refund-0001", "total_fee": 10000, "refund_fee": 3000}
    case("refund accepted", "refund", MERCHANT_MD5, cdata_xml(signed(rf)), {"ok": {"refund_id": rf["refund_id"]}}, req_rf)
    case("refund reply for another refund number", "refund", MERCHANT_MD5,
         cdata_xml(signed(dict(rf, out_refund_no="refund-9999"))), err("Mismatch"), req_rf)

    # A service provider calling for a sub-merchant (docs/protocol.md §15): the
    # request names it, every reply must echo it.
    sp = {"appid": SP_APPID, "mch_id": SP_MCH_ID}
    tea = {"sub_mch_id": SUB_MCH_ID_1, "sub_appid": SUB_APPID_1}
    sp_uo = dict(uo, **sp, **tea)
    case("provider: unifiedorder for a sub-merchant", "unifiedorder", PROVIDER_MD5, cdata_xml(signed(sp_uo, SP_KEY)),
         {"ok": {"prepay_id": uo["prepay_id"]}}, dict(req_uo, **tea))
    sp_oq = dict(notpay, **sp, **tea)
    req_sp_oq = dict(req_oq, **tea)
    case("provider: orderquery for the sub-merchant asked", "orderquery", PROVIDER_MD5, cdata_xml(signed(sp_oq, SP_KEY)),
         {"ok": {"trade_state": "NOTPAY", "total_fee": 10000, "coupons": []}}, req_sp_oq)
    case("provider: orderquery reply about another sub-merchant", "orderquery", PROVIDER_MD5,
         cdata_xml(signed(dict(sp_oq, sub_mch_id=SUB_MCH_ID_2), SP_KEY)), err("Mismatch"), req_sp_oq)
    case("provider: a reply that names no sub-merchant", "orderquery", PROVIDER_MD5,
         cdata_xml(signed({k: v for k, v in sp_oq.items() if k not in ("sub_mch_id", "sub_appid")}, SP_KEY)),
         err("Mismatch"), req_sp_oq)
    case("provider: a reply naming another sub_appid", "orderquery", PROVIDER_MD5,
         cdata_xml(signed(dict(sp_oq, sub_appid=SUB_APPID_2), SP_KEY)), err("Mismatch"), req_sp_oq)
    case("provider: a sub-merchant reply signed with the direct merchant's key", "orderquery", PROVIDER_MD5,
         cdata_xml(signed(sp_oq)), err("Signature", "Invalid"), req_sp_oq)
    sp_rf = dict(rf, **sp, sub_mch_id=SUB_MCH_ID_2)
    req_sp_rf = dict(req_rf, sub_mch_id=SUB_MCH_ID_2)
    case("provider: refund for the sub-merchant", "refund", PROVIDER_MD5, cdata_xml(signed(sp_rf, SP_KEY)),
         {"ok": {"refund_id": rf["refund_id"]}}, req_sp_rf)
    case("provider: refund reply about another sub-merchant", "refund", PROVIDER_MD5,
         cdata_xml(signed(dict(sp_rf, sub_mch_id=SUB_MCH_ID_1), SP_KEY)), err("Mismatch"), req_sp_rf)
    case("provider: closeorder for the sub-merchant", "closeorder", PROVIDER_MD5,
         cdata_xml(signed({"return_code": "SUCCESS", "nonce_str": "a", "result_code": "SUCCESS", **sp, **tea}, SP_KEY)),
         {"ok": {"already_closed": False}}, req_sp_oq)

    # The counter (docs/protocol.md §14): replies that end a payment at once.
    code = "134567890123450000"
    mp = {"return_code": "SUCCESS", "return_msg": "OK", "appid": APPID, "mch_id": MCH_ID, "nonce_str": "5K8264ILTKCH16CQ",
          "result_code": "SUCCESS", "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "is_subscribe": "N",
          "trade_type": "MICROPAY", "bank_type": "CMB_DEBIT", "total_fee": "1800", "fee_type": "CNY", "cash_fee": "1800",
          "transaction_id": "4200001234202411200000000001", "out_trade_no": "counter-0001", "time_end": "20241120153000"}
    req_mp = {"out_trade_no": "counter-0001", "total_fee": 1800, "auth_code": code}
    paid = {"ok": {"status": "paid", "transaction_id": mp["transaction_id"], "err_code": None}}
    case("micropay paid at once", "micropay", MERCHANT_MD5, cdata_xml(signed(mp)), paid, req_mp)
    case("micropay paid at once, HMAC", "micropay", MERCHANT_HMAC, cdata_xml(signed(mp, sign_type="HMAC-SHA256")),
         paid, req_mp)
    mp_fail = {k: mp[k] for k in ("return_code", "return_msg", "appid", "mch_id", "nonce_str")}
    for code_name, des in (("NOTENOUGH", "余额不足"), ("AUTHCODEEXPIRE", "二维码已过期，请用户在微信上刷新后再试"),
                           ("AUTH_CODE_INVALID", "101 付款码无效，请重新扫码")):
        case(f"micropay {code_name} ends it, nothing to reverse", "micropay", MERCHANT_MD5,
             cdata_xml(signed(dict(mp_fail, result_code="FAIL", err_code=code_name, err_code_des=des))),
             {"ok": {"status": "failed", "transaction_id": None, "err_code": code_name}}, req_mp)
    case("micropay paid at a sub-merchant's counter", "micropay", PROVIDER_MD5,
         cdata_xml(signed(dict(mp, **sp, sub_mch_id=SUB_MCH_ID_2), SP_KEY)), paid,
         dict(req_mp, sub_mch_id=SUB_MCH_ID_2))

    ac = dict(mp_fail, result_code="SUCCESS", openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    req_ac = {"auth_code": code}
    case("authcodetoopenid", "authcodetoopenid", MERCHANT_MD5, cdata_xml(signed(ac)),
         {"ok": {"openid": ac["openid"]}}, req_ac)
    case("authcodetoopenid AUTHCODEEXPIRE", "authcodetoopenid", MERCHANT_MD5,
         cdata_xml(signed(dict(mp_fail, result_code="FAIL", err_code="AUTHCODEEXPIRE", err_code_des="二维码已过期"))),
         {"error": {"kind": "Business", "err_code": "AUTHCODEEXPIRE", "retryable": False}}, req_ac)
    case("authcodetoopenid with a bad sign: the openid never returned", "authcodetoopenid", MERCHANT_MD5,
         cdata_xml(dict(signed(ac), openid="oAttacker")), err("Signature", "Invalid"), req_ac)
    write("replies.json", "pay API replies checked against the request they answer (request holds the caller's "
          "arguments: sub_mch_id and sub_appid name the sub-merchant a provider calls for; micropay ends paid or "
          "failed on these replies, with the default waits)", cases)


def counter_cases():
    """The counter against wxpay-sim: how each customer's payment code ends."""
    cases = []

    def case(name, plan, status, err_code, reverses, queries_at_least=0, fault=None, provider=False,
             follow_up=None):
        cases.append({"name": name, "auth_code": "13456789012345" + plan, "fault": fault,
                      "sub_merchant": {"sub_mch_id": SUB_MCH_ID_2} if provider else None,
                      "expect": {"status": status, "err_code": err_code, "reverses": reverses,
                                 "queries_at_least": queries_at_least, "follow_up": follow_up}})

    case("paid at once", "0000", "paid", None, 0)
    case("paid after the password", "1150", "paid", None, 0, queries_at_least=1)
    case("reversed at the limit: the customer never finishes", "2000", "reversed", "USERPAYING", 1,
         queries_at_least=1)
    case("paid, though the answer was SYSTEMERROR", "5000", "paid", None, 0, queries_at_least=1)
    case("reversed after an unknown outcome that failed", "6000", "reversed", "PAYERROR", 1, queries_at_least=1)
    case("a reverse that answers recall is called again", "2000", "reversed", "USERPAYING", 2, queries_at_least=1,
         fault={"path": "/secapi/pay/reverse", "kind": "recall", "count": 1, "delay_ms": 0})
    case("refused: too little balance", "3000", "failed", "NOTENOUGH", 0)
    case("refused: the code expired", "4000", "failed", "AUTHCODEEXPIRE", 0)
    case("paid at a sub-merchant's counter", "0000", "paid", None, 0, provider=True)
    # ORDERNOTEXIST after an open answer is not final (docs/protocol.md §14).
    case("cut off before WeChat saw it: unsettled, never failed", "0000", "unsettled", "ORDERNOTEXIST", 1,
         queries_at_least=2, fault={"path": "/pay/micropay", "kind": "reset", "count": 1, "delay_ms": 0},
         follow_up="query")
    case("processed late, while the counter still asks: paid", "0000", "paid", None, 0, queries_at_least=2,
         fault={"path": "/pay/micropay", "kind": "late", "count": 1, "delay_ms": 150})
    case("every reverse answers recall: unsettled, reverse later", "2000", "unsettled", "USERPAYING", 3,
         queries_at_least=1, fault={"path": "/secapi/pay/reverse", "kind": "recall", "count": 3, "delay_ms": 0},
         follow_up="reverse")
    write("counter.json",
          "micropay to its end against wxpay-sim (time scale 0.001): the payment is body 'counter', a fresh "
          "out_trade_no, total_fee 1800, spbill_create_ip 127.0.0.1, the auth_code given, and the waits "
          "first_query_after 0.02, query_every 0.02, give_up_after 0.6, max_reverses 3 (seconds); fault is added "
          "first; sub_merchant, when set, is called for by the simulator's service provider; the outcome's "
          "status, err_code, follow_up and reverses are exact, its queries at least queries_at_least", cases)


def mini_program_cases():
    """Mini-program login against wxpay-sim: a wx.login() code exchanged
    with jscode2session, and WeChat's refusals, each typed."""
    test_user = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"  # the simulator's test user
    mp_error = lambda errcode: {"error": {"kind": "MpApi", "errcode": errcode}}
    cases = [
        {"name": "a login code gives the user's openid and a session key", "login": {"openid": "o-mini-vector-1"},
         "expect": [{"ok": {"openid": "o-mini-vector-1"}}], "sent": 1},
        {"name": "a code is single-use", "login": {},
         "expect": [{"ok": {"openid": test_user}}, mp_error(40163)], "sent": 2},
        {"name": "a code WeChat never issued", "code": "never-issued-code", "expect": [mp_error(40029)], "sent": 1},
        {"name": "a high-risk user", "login": {"errcode": 40226}, "expect": [mp_error(40226)], "sent": 1},
        {"name": "the minute quota", "login": {"errcode": 45011}, "expect": [mp_error(45011)], "sent": 1},
        {"name": "the wrong app secret", "login": {}, "app_secret": "wrong-mini-secret",
         "expect": [mp_error(40125)], "sent": 1},
        {"name": "not a code: refused before anything is sent", "code": "two words",
         "expect": [{"error": {"kind": "InvalidInput", "field": "code"}}], "sent": 0},
    ]
    write("mini_program.json",
          "mini-program login against wxpay-sim: the code comes from POST /sim/mini/login with the body login "
          "(openid, errcode) when login is given, else it is code; the client is the simulator's merchant (with "
          "app_secret when given); jscode2session(code) is called once per expect entry, in order: ok gives the "
          "openid (and a non-empty session_key), error the kind and errcode or field; sent is how many "
          "jscode2session requests the simulator counted (its stat jscode2session)", cases)


def decision_cases():
    """Every place a WeChat answer becomes a shop decision, each given an
    answer about something else (docs/security.md §8): the simulator's
    `forge` fault signs its reply with the merchant's key after setting
    `fields`, so only the comparison stands between it and the decision."""
    cases = []
    waits = {"first_query_after": 0.02, "query_every": 0.02, "give_up_after": 0.3, "max_reverses": 3}

    def micropay(fee=1800, plan="0000"):
        return dict({"body": "counter", "out_trade_no": "{no}", "total_fee": fee, "spbill_create_ip": "127.0.0.1",
                     "auth_code": "13456789012345" + plan}, **waits)

    def forge(path, count=1, **fields):
        return {"path": path, "kind": "forge", "count": count, "delay_ms": 0, "fields": fields}

    def case(row, name, operation, args, expect, setup="none", faults=(), provider=False, setup_fee=None):
        c = {"name": f"{row}: {name}", "row": row, "merchant": "provider" if provider else "direct",
             "sub_mch_id": SUB_MCH_ID_2 if provider else None, "setup": setup, "setup_fee": setup_fee,
             "faults": list(faults), "operation": operation, "args": args, "expect": expect}
        cases.append(c)

    def mismatch(field):
        return {"kind": "Mismatch", "field": field, "retryable": False}

    def unsettled(field, follow_up="query", **more):
        return {"result": dict({"status": "unsettled", "follow_up": follow_up,
                                "error": {"kind": "Mismatch", "field": field}}, **more)}

    # The counter: paid only for exactly this sale.
    for field, value in (("total_fee", "1"), ("trade_type", "JSAPI"), ("fee_type", "USD"),
                         ("out_trade_no", "someone-else-0001")):
        case("micropay paid", f"micropay and every orderquery say SUCCESS with {field} {value}", "micropay",
             micropay(), unsettled(field, reverses=0),
             faults=[forge("/pay/micropay", **{field: value}), forge("/pay/orderquery", 100, **{field: value})])
    case("micropay paid", "the answers are about another sub-merchant", "micropay", micropay(),
         unsettled("sub_mch_id", reverses=0), provider=True,
         faults=[forge("/pay/micropay", sub_mch_id=SUB_MCH_ID_1),
                 forge("/pay/orderquery", 100, sub_mch_id=SUB_MCH_ID_1)])
    case("micropay paid", "ORDERPAID for this very sale (the number was paid for 1800 before)", "micropay",
         micropay(), {"result": {"status": "paid", "total_fee": 1800, "reverses": 0}}, setup="micropaid",
         setup_fee=1800)
    # The counter: failed only when nothing was charged.
    case("micropay failed", "ORDERPAID for another sale of 1 fen: neither failed nor reversed", "micropay",
         micropay(), unsettled("total_fee", err_code="ORDERPAID", reverses=0), setup="micropaid", setup_fee=1)
    case("micropay failed", "cut off before WeChat processed it: ORDERNOTEXIST is not final", "micropay",
         micropay(), {"result": {"status": "unsettled", "follow_up": "query", "err_code": "ORDERNOTEXIST"}},
         faults=[{"path": "/pay/micropay", "kind": "reset", "count": 1, "delay_ms": 0}])
    # The counter: reversed only when WeChat confirmed it.
    case("micropay reversed", "every reverse answer is about another sub-merchant", "micropay",
         micropay(plan="2000"),
         {"result": {"status": "unsettled", "follow_up": "reverse", "reverses": 3,
                     "error": {"kind": "Mismatch", "field": "sub_mch_id"}}},
         provider=True, faults=[forge("/secapi/pay/reverse", 10, sub_mch_id=SUB_MCH_ID_1)])
    case("reverse", "the answer is another merchant's", "reverse", {"out_trade_no": "{no}"},
         {"error": mismatch("mch_id")}, setup="micropaid", setup_fee=1800,
         faults=[forge("/secapi/pay/reverse", mch_id="1900000999")])
    case("reverse", "recall=Y through every call: not reversed", "reverse", {"out_trade_no": "{no}"},
         {"error": {"kind": "Protocol", "retryable": True}}, setup="micropaid", setup_fee=1800,
         faults=[{"path": "/secapi/pay/reverse", "kind": "recall", "count": 10, "delay_ms": 0}])
    # Refunds: the order, the refund number, the amounts.
    refund = {"out_trade_no": "{no}", "out_refund_no": "{no}-r", "total_fee": 990, "refund_fee": 500}
    for field, value in (("refund_fee", "1"), ("out_refund_no", "someone-else-r"),
                         ("out_trade_no", "someone-else-0001"), ("total_fee", "99000")):
        case("refund", f"the reply names {field} {value}", "refund", refund, {"error": mismatch(field)},
             setup="paid", faults=[forge("/secapi/pay/refund", **{field: value})])
    case("query_refund", "asked by order, the reply is about another order", "query_refund",
         {"out_trade_no": "{no}"}, {"error": mismatch("out_trade_no")}, setup="refunded",
         faults=[forge("/pay/refundquery", out_trade_no="someone-else-0001")])
    case("query_refund", "asked by refund number, the record is another refund", "query_refund",
         {"out_refund_no": "{no}-r"}, {"error": mismatch("out_refund_no")}, setup="refunded",
         faults=[forge("/pay/refundquery", out_refund_no_0="someone-else-r")])
    # closeorder: the merchant and sub-merchant.
    case("close_order", "the reply is another sub-merchant's", "close_order", {"out_trade_no": "{no}"},
         {"error": mismatch("sub_mch_id")}, setup="placed_5_minutes_ago", provider=True,
         faults=[forge("/pay/closeorder", sub_mch_id=SUB_MCH_ID_1)])
    case("close_order", "the reply is another merchant's", "close_order", {"out_trade_no": "{no}"},
         {"error": mismatch("mch_id")}, setup="placed_5_minutes_ago",
         faults=[forge("/pay/closeorder", mch_id="1900000999")])
    # The notify handler's confirmation by orderquery.
    for field, value in (("total_fee", "1"), ("fee_type", "USD"), ("trade_type", "NATIVE"),
                         ("out_trade_no", "someone-else-0001"), ("transaction_id", "4200000000000000000000000999"),
                         ("trade_state", "NOTPAY")):
        expect = mismatch("trade_state" if field == "trade_state" else field)
        case("notify confirmation", f"orderquery answers {field} {value}", "settle_payment_notify",
             {"order": {"total_fee": 990, "transaction_id": None}},
             {"result": {"status": "refused", "error": {"kind": expect["kind"], "field": expect["field"]}}},
             setup="paid", faults=[forge("/pay/orderquery", **{field: value})])
    # authcodetoopenid: the merchant, and WeChat's format.
    code = "134567890123450000"
    case("auth_code_to_openid", "the reply is another merchant's", "auth_code_to_openid", {"auth_code": code},
         {"error": mismatch("mch_id")}, faults=[forge("/tools/authcodetoopenid", mch_id="1900000999")])
    case("auth_code_to_openid", "the openid is not in WeChat's format", "auth_code_to_openid", {"auth_code": code},
         {"error": {"kind": "Protocol", "retryable": False}},
         faults=[forge("/tools/authcodetoopenid", openid="o&openid=attacker")])
    write("security/decisions.json",
          "every reply that becomes a decision, given an answer about something else: run against wxpay-sim "
          "(time scale 0.001) with a client of the direct merchant, or of the service provider calling for "
          "sub_mch_id, options {retries: 1, retry_backoff: 0.01}; setup: none, paid (a JSAPI order {no} of 990 fen "
          "paid through /sim/jsapi/pay), refunded (paid, then refunded in full as {no}-r), placed_5_minutes_ago "
          "(placed, then 0.35 s), micropaid (micropay {no} of setup_fee fen with the code 134567890123450000); "
          "faults are added after setup; settle_payment_notify takes the body the simulator sent for {no} "
          "(/sim/notifications) and args.order; expect.error is matched on the keys it gives, expect.result on "
          "its keys (nested objects too)", cases)


def bill_cases():
    header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
    row = ["2024-01-02 10:00:00", APPID, MCH_ID, "0", "WEB", "4200000001202401020000000001", "order-A-0001",
           "oUpF8uMEb4qRXf22hE3X68TekukE", "JSAPI", "SUCCESS", "CMB_CREDIT", "CNY", "0.01", "0.00", "0", "0", "0.00",
           "0.00", "", "", "书, 第二版", "", "0.00000", "0.60%", "0.01", "0.00", ""]
    summary_header = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
    summary = ["1", "0.01", "0.00", "0.00", "0.00000", "0.01", "0.00"]
    text = header + "\r\n" + ",".join("`" + v for v in row) + "\r\n" + summary_header + "\r\n" + ",".join("`" + v for v in summary) + "\r\n"
    gz = gzip.compress(text.encode(), mtime=0)
    ok = {"ok": {"no_bill": False, "columns": len(header.split(",")), "rows": 1, "first_row": row, "summary": summary}}
    cases = [
        {"name": "plain text bill (a comma inside a product name)", "body": text, "expect": ok},
        {"name": "gzip bill", "body_base64": base64.b64encode(gz).decode(), "expect": ok},
        # No payment and no refund that day: an empty bill, not an error.
        {"name": "No Bill Exist", "body": cdata_xml({"return_code": "FAIL", "return_msg": "No Bill Exist", "error_code": "20002"}),
         "expect": {"ok": {"no_bill": True, "columns": 0, "rows": 0, "summary": []}}},
        {"name": "Bill Creating", "body": cdata_xml({"return_code": "FAIL", "return_msg": "Bill Creating"}),
         "expect": err("Protocol")},
        {"name": "row with a missing value", "body": header + "\n`1,`2\n" + summary_header + "\n`1\n", "expect": err("Protocol")},
        {"name": "corrupt gzip", "body_base64": base64.b64encode(gz[:20]).decode(), "expect": err("Protocol")},
    ]
    write("bill.json", "Bill.parse(body): a downloadbill reply", cases)


def fund_flow_cases():
    header = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号"
    paid = ["2018-02-01 04:21:23", "4200000001201802010000000001", "F1", "交易", "交易", "收入", "0.35", "0.35",
            "system", "", "order-A-0001"]
    refunded = ["2018-02-01 05:21:23", "50000305742018020103387128253", "F2", "退款", "退款", "支出", "0.18", "0.17",
                "system", "缺货", "REF4200000068201801293084726067"]
    summary_header = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额"

    def table(head, rows, summary):
        return (head + "\r\n" + "".join(",".join("`" + v for v in r) + "\r\n" for r in rows)
                + summary_header + "\r\n" + ",".join("`" + v for v in summary) + "\r\n")

    text = table(header, [paid, refunded], ["2.0", "1.0", "0.35", "1.0", "0.18"])
    totals = {"count": 2, "income_count": 1, "income_fen": 35, "expense_count": 1, "expense_fen": 18}
    ok = {"ok": {"no_bill": False, "columns": 11, "rows": 2, "first_row": paid, "totals": totals}}
    half_width = header.replace("（元）", "(元)")
    def refusal(err_code, msg):
        return cdata_xml({"return_code": "FAIL", "return_msg": msg, "result_code": "FAIL", "err_code": err_code,
                          "err_code_des": msg})
    cases = [
        {"name": "plain text statement", "body": text, "expect": ok},
        {"name": "gzip statement", "body_base64": base64.b64encode(gzip.compress(text.encode(), mtime=0)).decode(),
         "expect": ok},
        {"name": "half-width parentheses and whole counts", "body": table(half_width, [paid], ["1", "1", "0.35", "0", "0.00"]),
         "expect": {"ok": {"no_bill": False, "columns": 11, "rows": 1, "first_row": paid,
                           "totals": {"count": 1, "income_count": 1, "income_fen": 35, "expense_count": 0,
                                      "expense_fen": 0}}}},
        # No movement that day: an empty statement, not an error.
        {"name": "NO_BILL_EXIST", "body": refusal("NO_BILL_EXIST", "no bill"),
         "expect": {"ok": {"no_bill": True, "columns": 0, "rows": 0,
                           "totals": {"count": 0, "income_count": 0, "income_fen": 0, "expense_count": 0,
                                      "expense_fen": 0}}}},
        {"name": "BILL_CREATING", "body": refusal("BILL_CREATING", "bill creating"),
         "expect": {"error": {"kind": "Business", "err_code": "BILL_CREATING"}}},
        {"name": "a signature refused", "body": cdata_xml({"return_code": "FAIL", "return_msg": "sign error"}),
         "expect": err("Protocol")},
        # A statement cut short: the rows no longer add up to the summary.
        {"name": "a row missing", "body": table(header, [paid], ["2.0", "1.0", "0.35", "1.0", "0.18"]),
         "expect": err("Protocol")},
        {"name": "an amount changed", "body": table(header, [paid, refunded[:6] + ["0.81"] + refunded[7:]],
                                                    ["2.0", "1.0", "0.35", "1.0", "0.18"]),
         "expect": err("Protocol")},
        {"name": "a count that is not whole", "body": table(header, [paid, refunded], ["2.5", "1.0", "0.35", "1.0", "0.18"]),
         "expect": err("Protocol")},
        {"name": "neither income nor expense", "body": table(header, [paid[:5] + ["其他"] + paid[6:]],
                                                            ["1.0", "1.0", "0.35", "0.0", "0.00"]),
         "expect": err("Protocol")},
    ]
    write("fund_flow.json", "FundFlow.parse(body): a downloadfundflow reply", cases)


# --- profit_sharing.json: profit sharing against wxpay-sim (docs/protocol.md §17)

def profit_sharing_cases():
    openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    friend = {"type": "PERSONAL_OPENID", "account": openid, "relation_type": "USER"}
    partner = {"type": "MERCHANT_ID", "account": "190001001", "name": "示例合作商户有限公司", "relation_type": "PARTNER"}

    def add(receiver):
        return {"op": "add_profit_sharing_receiver", "args": receiver, "expect": {"ok": None}}

    def share(no, amount, multi, to=None, expect=None):
        to = to or {"type": "PERSONAL_OPENID", "account": openid}
        return {"op": "profit_sharing", "args": {"transaction_id": "{tx}", "out_order_no": no, "multi": multi,
                                                 "receivers": [dict(to, amount=amount, description="分账")]},
                "expect": expect or {"ok": {"out_order_no": no, "status": "PROCESSING" if multi else "FINISHED"}}}

    def unsplit(fen):
        return {"op": "profit_sharing_unsplit_amount", "args": {"transaction_id": "{tx}"},
                "expect": {"ok": {"unsplit_amount": fen}}}

    def give_back(no, amount, expect):
        return {"op": "profit_sharing_return", "args": {"out_order_no": "PS-R-{n}", "out_return_no": no,
                                                        "return_account": "190001001", "return_amount": amount,
                                                        "description": "退货"}, "expect": expect}

    biz = lambda code: {"error": {"kind": "Business", "err_code": code}}  # noqa: E731
    cases = [
        {"name": "a multiple sharing within 30 %, the query and the finish", "order": "sharing", "steps": [
            add(friend), share("PS1-{n}", 300, True), unsplit(700),
            {"op": "query_profit_sharing", "args": {"transaction_id": "{tx}", "out_order_no": "PS1-{n}"},
             "expect": {"ok": {"out_order_no": "PS1-{n}", "status": "PROCESSING"}}},
            {"op": "finish_profit_sharing", "args": {"transaction_id": "{tx}", "out_order_no": "PF1-{n}",
                                                     "description": "分账完结"},
             "expect": {"ok": {"out_order_no": "PF1-{n}", "status": "FINISHED"}}},
            unsplit(0)]},
        {"name": "above 30 % of the order", "order": "sharing", "steps": [
            add(friend), share("PS1-{n}", 301, True, expect={"error": {"kind": "Business", "err_code": "INVALID_REQUEST"}})]},
        {"name": "a receiver never added", "order": "sharing", "steps": [
            share("PS1-{n}", 100, True, to={"type": "PERSONAL_OPENID", "account": "oUpF8uNeverAddedAsReceiver00"},
                  expect=biz("RECEIVER_INVALID"))]},
        {"name": "an order not placed for sharing", "order": "plain", "steps": [
            add(friend), share("PS1-{n}", 100, True, expect=biz("NOT_SHARE_ORDER"))]},
        {"name": "a single sharing releases the rest", "order": "sharing", "steps": [
            add(friend), share("PS1-{n}", 100, False), unsplit(0),
            share("PS2-{n}", 100, True, expect=biz("INVALID_REQUEST"))]},
        {"name": "the same out_order_no is the same request", "order": "sharing", "steps": [
            add(friend), share("PS1-{n}", 200, True), share("PS1-{n}", 200, True), unsplit(800),
            share("PS1-{n}", 100, True, expect=biz("INVALID_REQUEST"))]},
        {"name": "a merchant receiver gives back at most what it got", "order": "sharing", "steps": [
            add(partner), share("PS-R-{n}", 200, True, to={"type": "MERCHANT_ID", "account": "190001001"}),
            give_back("R1-{n}", 150, {"ok": {"result": "SUCCESS", "return_amount": 150, "out_order_no": "PS-R-{n}",
                                         "return_account": "190001001"}}),
            give_back("R2-{n}", 51, biz("INVALID_REQUEST")),
            {"op": "query_profit_sharing_return", "args": {"out_order_no": "PS-R-{n}", "out_return_no": "R1-{n}"},
             "expect": {"ok": {"result": "SUCCESS", "return_amount": 150}}},
            {"op": "query_profit_sharing_return", "args": {"out_order_no": "PS-R-{n}", "out_return_no": "R9-{n}"},
             "expect": biz("INVALID_REQUEST")}]},
        {"name": "refused before anything is sent", "order": "sharing", "steps": [
            {"op": "add_profit_sharing_receiver", "args": dict(partner, name=None), "expect": err("InvalidInput")},
            {"op": "add_profit_sharing_receiver", "args": dict(friend, relation_type="CUSTOM"),
             "expect": err("InvalidInput")},
            share("PS1-{n}", 0, True, expect=err("InvalidInput")),
            {"op": "profit_sharing_return", "args": {"order_id": "3008000", "out_order_no": "PS-R-{n}", "out_return_no": "R1-{n}",
                                                     "return_account": "190001001", "return_amount": 1,
                                                     "description": "退货"}, "expect": err("InvalidInput")}],
         "sent": 0},
        {"name": "a provider's ratio for a sub-merchant and for a brand", "order": None, "merchant": "provider", "steps": [
            {"op": "profit_sharing_max_ratio", "args": {"sub_mch_id": SUB_MCH_ID_1}, "expect": {"ok": {"max_ratio": 3000}}},
            {"op": "profit_sharing_max_ratio", "args": {"brand_mch_id": "1900000200"},
             "expect": {"ok": {"max_ratio": 3000}}},
            {"op": "profit_sharing_max_ratio", "args": {}, "expect": err("InvalidInput")}]},
        {"name": "a direct merchant is no provider", "order": None, "steps": [
            {"op": "profit_sharing_max_ratio", "args": {"brand_mch_id": "1900000200"}, "expect": biz("NOAUTH")}]},
    ]
    for c in cases:
        c.setdefault("merchant", "direct")
    write("profit_sharing.json",
          "profit sharing against wxpay-sim (time scale 0.001): order is a payment of 1000 fen made first and paid "
          "in the simulated client ('sharing': placed with profit_sharing=Y; 'plain': without; null: none), its "
          "transaction_id standing for {tx} in the steps, and {n} for a number of the runner's unique to the case (so every case can share one simulator); merchant is the simulator's direct merchant (HMAC-SHA256) "
          "or its service provider; each step calls op by name with args (named), and expect.ok lists fields the "
          "result must hold (null: the call returns nothing), expect.error the error's kind and err_code (a "
          "binding whose language raises its own type error for a value of the wrong type may raise that for "
          "InvalidInput); sent, when given, is how many profit-sharing requests may reach the simulator", cases)


# --- reconcile.json: a day's bill against the shop's records (docs/protocol.md §18)

BILL_HEADER = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
               "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
               "手续费,费率,订单金额,申请退款金额,费率备注")
BILL_SUMMARY = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"


def yuan(fen):
    return "%d.%02d" % (fen // 100, fen % 100)


def trade_bill(rows):
    """rows: ("paid", order, fen, transaction_id) | ("refund", refund, order, fen, refund_id) | ("revoked", order, fen)."""
    lines, paid, refunded = [BILL_HEADER], 0, 0
    for r in rows:
        if r[0] == "refund":
            _, refund, order, fen, refund_id = r
            refunded += fen
            v = ["2024-01-02 12:00:00", APPID, MCH_ID, "0", "", "4200000001", order, "oUpF8u", "JSAPI", "REFUND",
                 "OTHERS", "CNY", "0.00", "0.00", refund_id, refund, yuan(fen), "0.00", "ORIGINAL", "SUCCESS",
                 "书, 第二版", "", "0.00000", "0.60%", "0.00", yuan(fen), ""]
        else:
            state, order, fen = ("SUCCESS" if r[0] == "paid" else "REVOKED"), r[1], r[2]
            txid = r[3] if r[0] == "paid" else "4200000009"
            paid += fen
            v = ["2024-01-02 10:00:00", APPID, MCH_ID, "0", "", txid, order, "oUpF8u", "JSAPI", state, "OTHERS", "CNY",
                 yuan(fen), "0.00", "0", "0", "0.00", "0.00", "", "", "书, 第二版", "", "0.00000", "0.60%", yuan(fen),
                 "0.00", ""]
        lines.append(",".join("`" + x for x in v))
    lines.append(BILL_SUMMARY)
    summary = [str(len(rows)), yuan(paid), yuan(refunded), "0.00", "0.00000", yuan(paid), yuan(refunded)]
    lines.append(",".join("`" + x for x in summary))
    return "\r\n".join(lines) + "\r\n"


def reconcile_model(rows, records):
    """An independent reconciliation: group each side by (kind, key) in arrival order, compare the first of
    each, report the rest as duplicates; keys in code-point order, payments before refunds."""
    sides = ({}, {})
    for r in rows:
        if r[0] == "paid":
            sides[0].setdefault((0, r[1]), []).append({"order": r[1], "fen": r[2], "id": r[3]})
        elif r[0] == "refund":
            sides[0].setdefault((1, r[1]), []).append({"order": r[2], "fen": r[3], "id": r[4]})
    for rec in records:
        if "out_refund_no" in rec:
            sides[1].setdefault((1, rec["out_refund_no"]), []).append(
                {"order": rec["out_trade_no"], "fen": rec["refund_fee"], "id": rec.get("refund_id", "")})
        else:
            sides[1].setdefault((0, rec["out_trade_no"]), []).append(
                {"order": rec["out_trade_no"], "fen": rec["total_fee"], "id": rec.get("transaction_id", "")})

    def totals(entries):
        t = {"payments": 0, "payment_fen": 0, "refunds": 0, "refund_fen": 0}
        for kind, e in entries:
            t["payments" if kind == 0 else "refunds"] += 1
            t["payment_fen" if kind == 0 else "refund_fen"] += e["fen"]
        return t

    def diff(kind, key, w, s):
        any_ = w or s
        return {"kind": kind, "entry": "payment" if key[0] == 0 else "refund", "out_trade_no": any_["order"],
                "out_refund_no": key[1] if key[0] == 1 else None, "wechat_fen": w["fen"] if w else None,
                "shop_fen": s["fen"] if s else None, "wechat_id": (w["id"] or None) if w else None,
                "shop_wechat_id": (s["id"] or None) if s else None}

    diffs, matched = [], []
    for key in sorted(set(sides[0]) | set(sides[1])):
        w, s = sides[0].get(key, []), sides[1].get(key, [])
        if w and not s:
            diffs.append(diff("wechat_only", key, w[0], None))
        elif s and not w:
            diffs.append(diff("shop_only", key, None, s[0]))
        elif w[0]["fen"] != s[0]["fen"]:
            diffs.append(diff("amount_differs", key, w[0], s[0]))
        elif s[0]["id"] and s[0]["id"] != w[0]["id"]:
            diffs.append(diff("id_differs", key, w[0], s[0]))
        else:
            matched.append((key[0], w[0]))
        diffs += [diff("duplicate_at_wechat", key, x, None) for x in w[1:]]
        diffs += [diff("duplicate_at_shop", key, None, x) for x in s[1:]]
    kinds = ["wechat_only", "shop_only", "amount_differs", "id_differs", "duplicate_at_wechat", "duplicate_at_shop"]
    return {"balanced": not diffs, "no_bill": False,
            "wechat": totals([(k[0], e) for k, es in sides[0].items() for e in es]),
            "wechat_revoked": sum(1 for r in rows if r[0] == "revoked"),
            "shop": totals([(k[0], e) for k, es in sides[1].items() for e in es]),
            "matched": totals(matched), "counts": {k: sum(1 for d in diffs if d["kind"] == k) for k in kinds},
            "differences": diffs, "unlisted": 0}


def shop_csv(records):
    cols = ["out_trade_no", "total_fee", "transaction_id", "out_refund_no", "refund_fee", "refund_id"]
    out = [",".join(cols)]
    for rec in records:
        out.append(",".join(str(rec.get(c, "")) for c in cols))
    return "\n".join(out) + "\n"


def reconcile_cases():
    day = [("paid", "order-0001", 990, "4200000001"), ("paid", "order-0002", 500, "4200000002"),
           ("paid", "order-0003", 120, "4200000003"), ("refund", "refund-0001", "order-0001", 300, "5030000001")]
    shop = [{"out_trade_no": "order-0001", "total_fee": 990, "transaction_id": "4200000001"},
            {"out_trade_no": "order-0002", "total_fee": 500}, {"out_trade_no": "order-0003", "total_fee": 120},
            {"out_refund_no": "refund-0001", "out_trade_no": "order-0001", "refund_fee": 300}]
    messy_day = [("paid", "order-0001", 990, "4200000001"),            # matched
                 ("paid", "order-0002", 500, "4200000002"),            # the shop missed it
                 ("paid", "order-0003", 120, "4200000003"),            # the shop recorded 100
                 ("paid", "order-0004", 800, "4200000004"),            # the shop kept another transaction_id
                 ("paid", "order-0006", 50, "4200000006"),
                 ("paid", "order-0006", 50, "4200000006"),             # listed twice by the bill
                 ("revoked", "order-0007", 700),                       # a reversed counter payment
                 ("refund", "refund-0001", "order-0001", 300, "5030000001"),   # the shop missed it
                 ("refund", "refund-0002", "order-0003", 20, "5030000002")]    # matched
    messy_shop = [{"out_trade_no": "order-0001", "total_fee": 990},
                  {"out_trade_no": "order-0003", "total_fee": 100},
                  {"out_trade_no": "order-0004", "total_fee": 800, "transaction_id": "4200000099"},
                  {"out_trade_no": "order-0005", "total_fee": 250},    # not paid at WeChat
                  {"out_trade_no": "order-0005", "total_fee": 250},    # and recorded twice
                  {"out_trade_no": "order-0006", "total_fee": 50},
                  {"out_trade_no": "order-0007", "total_fee": 700},    # paid, then reversed
                  {"out_refund_no": "refund-0002", "out_trade_no": "order-0003", "refund_fee": 20},
                  {"out_refund_no": "refund-0003", "out_trade_no": "order-0002", "refund_fee": 10}]  # not at WeChat
    messy = trade_bill(messy_day)

    def ok(rows, records, no_bill=False):
        r = reconcile_model(rows, records)
        r["no_bill"] = no_bill
        return {"ok": r}

    no_bill = cdata_xml({"return_code": "FAIL", "return_msg": "No Bill Exist", "error_code": "20002"})
    cut = "\r\n".join(messy.split("\r\n")[:-2]) + "\r\n"
    cases = [
        {"name": "a balanced day", "bill": trade_bill(day), "records": shop, "expect": ok(day, shop)},
        {"name": "every kind of difference", "bill": messy, "records": messy_shop, "expect": ok(messy_day, messy_shop)},
        {"name": "every kind of difference, gzip bill",
         "bill_base64": base64.b64encode(gzip.compress(messy.encode(), mtime=0)).decode(), "records": messy_shop,
         "expect": ok(messy_day, messy_shop)},
        {"name": "No Bill Exist: the shop's payments are its own", "bill": no_bill, "records": shop[:2],
         "expect": ok([], shop[:2], no_bill=True)},
        {"name": "a bill cut before its summary values", "bill": cut, "records": shop, "expect": err("Protocol")},
        {"name": "a bill whose row was altered", "bill": messy.replace("`1.20", "`1.30", 1), "records": [],
         "expect": err("Protocol")},
        {"name": "a trade state wxpay cannot reconcile", "bill": messy.replace("`REVOKED", "`PAYERROR"),
         "records": [], "expect": err("Protocol")},
        {"name": "Bill Creating is not a day",
         "bill": cdata_xml({"return_code": "FAIL", "return_msg": "Bill Creating"}), "records": [],
         "expect": err("Protocol")},
        {"name": "an amount in yuan", "bill": messy, "records": [{"out_trade_no": "order-0001", "total_fee": "9.90"}],
         "expect": err("InvalidInput")},
        {"name": "a refund without its order", "bill": messy, "records": [{"out_refund_no": "r-1", "refund_fee": 1}],
         "expect": err("InvalidInput")},
        {"name": "a field that is no field of a record", "bill": messy,
         "records": [{"out_trade_no": "order-0001", "amount": 990}], "expect": err("InvalidInput")},
    ]
    for c in cases:
        if all(isinstance(r.get("total_fee", 0), int) and set(r) <= {"out_trade_no", "total_fee", "transaction_id",
               "out_refund_no", "refund_fee", "refund_id"} and ("out_refund_no" not in r or "out_trade_no" in r)
               for r in c["records"]):
            c["shop_csv"] = shop_csv(c["records"])
    write("reconcile.json",
          "reconcile(bill, records): the bill is a downloadbill body (bill, or bill_base64 for gzip); records are "
          "the shop's payments and refunds; shop_csv, when given, is the same records as CSV for reconcile_shop_csv "
          "and `wxpay reconcile` (which exits 0 when balanced, 1 with differences, 2 on an error); expect.ok is the "
          "whole report (list_limit at its default)", cases)


# --- tests/vectors/security/: the attack catalogue ---------------------------

# A merchant whose orderquery can never be reached: a fixture that expects a
# decision made before confirming fails loudly (Transport) if it queries.
OFFLINE = dict(MERCHANT_MD5, base_url="http://127.0.0.1:9", retries=0)


def native_cases():
    """Native mode one: the printed QR link, the scan callback WeChat sends
    the shop, and the shop's signed answer. All MD5 whatever the merchant's
    sign type (the merchant here signs HMAC-SHA256)."""
    merchant = {"appid": "wx2421b1c4370ec43b", "mch_id": MCH_ID, "api_key": KEY, "sign_type": "HMAC-SHA256"}
    cases = []
    link = {"appid": merchant["appid"], "mch_id": MCH_ID, "nonce_str": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            "product_id": "88888", "time_stamp": "1414488825"}
    assert sign(link, KEY, "MD5") == "DFA7796DC03E3B44CE24FC7483D0CE32"
    text = "weixin://wxpay/bizpayurl?" + "&".join(f"{k}={v}" for k, v in link.items()) + "&sign=" + sign(link, KEY, "MD5")
    cases.append({"name": "the official QR link", "kind": "qr_link", "merchant": merchant, "product_id": "88888",
                  "timestamp": 1414488825, "nonce": link["nonce_str"], "expect": {"ok": text}})
    for name, product in [("a product id with a space", "a b"), ("a product id that would need encoding", "a&sign=1"),
                          ("a product id of 33 characters", "x" * 33), ("an empty product id", ""),
                          ("a product id outside ASCII", "可乐")]:
        cases.append({"name": name, "kind": "qr_link", "merchant": merchant, "product_id": product,
                      "timestamp": 1, "nonce": "n", "expect": err("InvalidInput")})

    scan = {"appid": merchant["appid"], "mch_id": MCH_ID, "openid": "o8GeHuLAsgefS_80exEr1cTqekUs",
            "is_subscribe": "Y", "nonce_str": "5K8264ILTKCH16CQ", "product_id": "88888"}
    ok = {"ok": {"openid": scan["openid"], "product_id": "88888", "is_subscribe": True}}

    def callback(name, body, expect):
        cases.append({"name": name, "kind": "scan_callback", "merchant": merchant, "body": body, "expect": expect})

    callback("a scan callback, MD5", cdata_xml(signed(scan)), ok)
    callback("not following the account", cdata_xml(signed(dict(scan, is_subscribe="N"))),
             {"ok": dict(ok["ok"], is_subscribe=False)})
    callback("unsigned", cdata_xml(scan), err("Signature"))
    callback("signed HMAC-SHA256: the callback is MD5", cdata_xml(signed(scan, sign_type="HMAC-SHA256")), err("Signature"))
    callback("signed with another key", cdata_xml(signed(scan, key="0123456789abcdef0123456789abcdef")), err("Signature"))
    tampered = signed(scan)
    tampered["product_id"] = "88889"
    callback("the product changed after signing", cdata_xml(tampered), err("Signature"))
    callback("another merchant's", cdata_xml(signed(dict(scan, mch_id="10000999"))), err("Mismatch"))
    callback("without a product", cdata_xml(signed({k: v for k, v in scan.items() if k != "product_id"})), err("Protocol"))
    callback("is_subscribe neither Y nor N", cdata_xml(signed(dict(scan, is_subscribe="maybe"))), err("Protocol"))
    callback("a DOCTYPE", '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><openid>&e;</openid></xml>',
             err("Xml"))

    reply = {"return_code": "SUCCESS", "appid": merchant["appid"], "mch_id": MCH_ID,
             "nonce_str": "ibuaiVcKdpRxkhJA", "prepay_id": "wx201410272009395522657a690389285100", "result_code": "SUCCESS"}
    assert sign(reply, KEY, "MD5") == "C0FD5473FF0F4E9351534390599D958F"
    cases.append({"name": "the official scan reply", "kind": "scan_reply", "merchant": merchant,
                  "prepay_id": reply["prepay_id"], "nonce": reply["nonce_str"], "expect": {"ok": signed(reply)}})
    cases.append({"name": "a prepay_id with a space", "kind": "scan_reply", "merchant": merchant,
                  "prepay_id": "wx1 2", "nonce": "n", "expect": err("InvalidInput")})
    refusal = {"return_code": "SUCCESS", "appid": merchant["appid"], "mch_id": MCH_ID, "nonce_str": "ibuaiVcKdpRxkhJA",
               "result_code": "FAIL", "err_code_des": "已售罄"}
    cases.append({"name": "a refusal shown to the payer", "kind": "scan_refusal", "merchant": merchant,
                  "message": "已售罄", "nonce": refusal["nonce_str"], "expect": {"ok": signed(refusal)}})
    cases.append({"name": "a refusal without words", "kind": "scan_refusal", "merchant": merchant,
                  "message": " ", "nonce": "n", "expect": err("InvalidInput")})
    write("native.json",
          "Native mode one, by kind: qr_link (native_qr_link(product_id); ok is the link for the case's timestamp "
          "and nonce: a binding that cannot fix them checks the same appid, mch_id and product_id and an MD5 sign "
          "over the other five parameters), scan_callback (verify_scan_callback(body): ok is openid, product_id, "
          "is_subscribe), scan_reply (native_scan_reply(prepay_id)) and scan_refusal (native_scan_refusal(message)): "
          "ok is the reply's fields for the case's nonce; a binding that cannot fix it checks every other field and "
          "an MD5 signature", cases)


def notify_handler_cases():
    cases = []

    def case(name, body, order, status, error=None, merchant=OFFLINE, verified=True):
        c = {"name": name, "merchant": merchant, "body": body, "order": order,
             "expect": {"status": status, "reply": "FAIL" if status == "refused" else "SUCCESS",
                        "out_trade_no": PAID["out_trade_no"] if verified else None}}
        if error:
            c["expect"]["error"] = error
        cases.append(c)

    def e(kind, field=None, reason=None, retryable=False):
        out = {"kind": kind, "retryable": retryable}
        if field:
            out["field"] = field
        if reason:
            out["reason"] = reason
        return out

    good = signed(PAID)
    body = cdata_xml(good)
    mine = {"total_fee": 10000, "transaction_id": None}
    case("67 paid: the confirming orderquery cannot be reached, so it is refused for later", body, mine,
         "refused", e("Transport", retryable=True))
    case("62 the transaction the shop recorded, delivered again", body,
         {"total_fee": 10000, "transaction_id": PAID["transaction_id"]}, "already_paid")
    case("65 another transaction than the one the shop recorded", body,
         {"total_fee": 10000, "transaction_id": "4200000000000000000000000001"}, "refused",
         e("Mismatch", "transaction_id"))
    case("56 another amount than the shop's order", body, {"total_fee": 9999, "transaction_id": None},
         "refused", e("Mismatch", "total_fee"))
    case("57 fee_type USD", cdata_xml(signed(dict(PAID, fee_type="USD"))), mine, "refused", e("Mismatch", "fee_type"))
    case("59 an order the shop does not know", body, None, "refused", e("Mismatch", "out_trade_no"))
    failed = signed({k: v for k, v in dict(PAID, result_code="FAIL", err_code="NOTENOUGH").items()
                     if k not in ("transaction_id", "time_end")})
    case("60 an authentic failed payment is acknowledged", cdata_xml(failed), None, "not_paid")
    case("55 signed with another key", cdata_xml(signed(PAID, key="0" * 32)), mine, "refused",
         e("Signature", reason="Invalid"), verified=False)
    case("55b amount changed after signing", cdata_xml(dict(good, total_fee="1")), {"total_fee": 1, "transaction_id": None},
         "refused", e("Signature", reason="Invalid"), verified=False)
    case("35 downgraded to MD5 for a merchant on HMAC-SHA256", cdata_xml(signed(dict(PAID, sign_type="MD5"))), mine,
         "refused", e("Signature", reason="TypeMismatch"), merchant=dict(OFFLINE, sign_type="HMAC-SHA256"), verified=False)
    case("58 another merchant's notification", cdata_xml(signed(dict(PAID, mch_id="10000999"))), mine, "refused",
         e("Mismatch", "mch_id"), verified=False)
    case("61 return_code FAIL", cdata_xml({"return_code": "FAIL", "return_msg": "签名失败"}), mine, "refused",
         e("Protocol"), verified=False)
    case("6 a DOCTYPE before a signed notification", "<!DOCTYPE xml>" + body, mine, "refused",
         e("Xml", reason="Doctype"), verified=False)
    case("1 an external entity", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><attach>&e;</attach></xml>',
         mine, "refused", e("Xml", reason="Doctype"), verified=False)
    case("12 a second total_fee", body.replace("</xml>", "<total_fee>1</total_fee></xml>"), mine, "refused",
         e("Xml", reason="Duplicate"), verified=False)
    case("74 a JSON body", json.dumps(PAID), mine, "refused", e("Xml", reason="Malformed"), verified=False)
    case("71 total_fee '010000'", cdata_xml(signed(dict(PAID, total_fee="010000"))), mine, "refused", e("Protocol"),
         verified=False)
    case("43 re-cut: attach takes bank_type, cash_fee and fee_type=USD",
         cdata_xml(recut(signed(dict(PAID, fee_type="USD")), "attach", 3)), mine, "refused", e("Protocol"),
         verified=False)
    write("security/notify_handler.json",
          "settle_payment_notify(merchant, body, order): the notify handler's decision; expect.reply is the "
          "return_code of the reply; the merchant's orderquery is unreachable, so every decision but 67 is made "
          "before confirming", cases)


def security_catalogue():
    """Every attack and fault wxpay is held to, with where it is tested.
    `vectors` name cases ("file#case") that the Rust, Python, Node, C and PHP
    tests all run; `tests` name test files (and a test in them); an entry
    that does not apply says why, and one not built yet says what is open."""
    X, N, V, R, P = "xml.json#", "notify.json#", "verify.json#", "replies.json#", "security/notify_handler.json#"
    F = "security/faults.json#"
    S = "sign.json#"
    FAULTS, FLOW, HANDLER = "sim/tests/faults.rs", "sim/tests/flow.rs", "sim/tests/notify_handler.rs"
    TOKENS = "core/src/client/tokens.rs"
    FLEET = "sim/tests/fleet.rs"
    entries = [
        # Hostile XML
        (1, "DOCTYPE with an external entity to a local file, used in attach", "Xml/Doctype; the file is never opened",
         {"vectors": [X + "1 external entity (file)", P + "1 an external entity"]}),
        (2, "external entity pointing at a URL", "Xml/Doctype; nothing is fetched", {"vectors": [X + "2 external entity (http)"]}),
        (3, "parameter entity fetched out of band", "Xml/Doctype", {"vectors": [X + "3 parameter entity out-of-band"]}),
        (4, "billion laughs", "Xml/Doctype before any expansion", {"vectors": [X + "4 billion laughs"]}),
        (5, "quadratic blowup", "Xml/Doctype", {"vectors": [X + "5 quadratic blowup"]}),
        (6, "a harmless DOCTYPE before a correctly signed notification", "Xml/Doctype: any DOCTYPE is refused",
         {"vectors": [X + "6 harmless DOCTYPE before a valid signed message", N + "6 DOCTYPE before a signed notification",
                      P + "6 a DOCTYPE before a signed notification"]}),
        (7, "an undeclared entity in a value", "Xml/Malformed", {"vectors": [X + "7 undeclared entity"]}),
        (8, "predefined and numeric references in a signed value", "decoded, then verified",
         {"vectors": [X + "8 predefined and numeric references", N + "8 entities decoded before verifying"]}),
        (9, "a body or a value over the limits", "Xml/TooLarge", {"vectors": [X + "9 body one byte over 64 KiB", X + "9b value over 16 KiB"]}),
        (10, "deep nesting", "Xml/TooDeep, no recursion", {"vectors": [X + "10 deep nesting"]}),
        (11, "thousands of sibling fields", "Xml/TooManyFields above 256", {"vectors": [X + "11 too many fields", X + "11b exactly 256 fields"]}),
        (12, "a field given twice", "Xml/Duplicate, never first- or last-wins",
         {"vectors": [X + "12 duplicate field", N + "12 duplicate total_fee", P + "12 a second total_fee"]}),
        (13, "names differing only in case", "distinct fields", {"vectors": [X + "13 names are case-sensitive"]}),
        (14, "CDATA and plain text for the same value", "the same value", {"vectors": [X + "14 CDATA number"]}),
        (15, "text and CDATA mixed in one value", "concatenated", {"vectors": [X + "15 mixed content is concatenated"]}),
        (16, "comments and processing instructions", "Xml/Malformed",
         {"vectors": [X + "16 comment inside a value", X + "16b comment between fields", X + "16c processing instruction",
                      X + "16d second XML declaration"]}),
        (17, "an element (or XInclude) inside a field", "refused, nothing included", {"vectors": [X + "17 element inside a field", X + "17b XInclude inside a field"]}),
        (18, "attributes", "Xml/Malformed", {"vectors": [X + "18 attribute on a field", X + "18b attribute on the root"]}),
        (19, "a root other than xml, two roots, trailing bytes, an empty body", "Xml/Malformed, never an empty map",
         {"vectors": [X + "19 root is not xml", X + "19b two roots", X + "19c trailing bytes", X + "19d empty body", X + "19e whitespace body"]}),
        (20, "truncated documents", "Xml/Malformed, no partial map",
         {"vectors": [X + "20 truncated mid-tag", X + "20b truncated mid-CDATA", X + "20d truncated inside a multi-byte character"]}),
        (21, "GBK or UTF-16", "Xml/Encoding", {"vectors": [X + "21 encoding GBK declared", X + "21b UTF-16LE with BOM"]}),
        (22, "invalid UTF-8", "Xml/Encoding", {"vectors": [X + "22 invalid UTF-8 C3 28", X + "22b overlong C0 80", X + "22c surrogate ED A0 80"]}),
        (23, "a UTF-8 BOM", "accepted", {"vectors": [X + "23 UTF-8 BOM is accepted", N + "23 BOM before a signed notification"]}),
        (24, "NUL and control characters", "Xml/Malformed", {"vectors": [X + "24 NUL byte in a value", X + "24b control character in a value", X + "24c control character by reference"]}),
        (25, "markup and ]]> in outgoing values", "written so that it reads back as the same fields",
         {"vectors": [S + "markup and CDATA end inside a value", "xml_roundtrip.json#NUL cannot be written"]}),
        (26, "random maps written and read back", "the same fields", {"tests": ["core/tests/properties.rs", "core/tests/xml_differential.rs"]}),
        (27, "coverage-guided fuzzing of every parser", "no panic, no hang",
         {"tests": ["fuzz/fuzz_targets/xml.rs", "fuzz/fuzz_targets/payment_notify.rs", "fuzz/fuzz_targets/refund_notify.rs",
                    "fuzz/fuzz_targets/replies.rs", "fuzz/fuzz_targets/requests.rs",
                    "core/tests/properties.rs::a_field_named_twice_in_json_is_refused_by_every_reader"]}),
        # Signatures
        (28, "the official MD5 vector", "WeChat's signature", {"vectors": [S + "official 4_3 example, MD5"]}),
        (29, "the official HMAC-SHA256 vector", "WeChat's signature", {"vectors": [S + "official 4_3 example, HMAC-SHA256"]}),
        (30, "no sign field", "Signature/Missing", {"vectors": [V + "no sign field", N + "30 no sign"]}),
        (31, "an empty or blank sign", "Signature/Missing", {"vectors": [V + "empty sign", V + "whitespace sign"]}),
        (32, "one hex digit flipped, first or last", "Signature/Invalid", {"vectors": [V + "first hex digit flipped", V + "last hex digit flipped"]}),
        (33, "signatures of the wrong length or not hex", "Signature/Invalid",
         {"vectors": [V + "signature of 31 hex digits", V + "signature of 65 hex digits", V + "non-hex signature"]}),
        (34, "lower-case hex", "accepted", {"vectors": [V + "lower-case hex is accepted"]}),
        (35, "a downgrade to MD5", "Signature/TypeMismatch",
         {"vectors": [V + "pinned HMAC, message says MD5 with a valid MD5 sign: no downgrade",
                      N + "35 merchant pins HMAC, notification downgrades to MD5", P + "35 downgraded to MD5 for a merchant on HMAC-SHA256"]}),
        (36, "HMAC without sign_type", "verified with the pinned type",
         {"vectors": [V + "pinned HMAC, no sign_type, valid 64-hex HMAC", N + "36 HMAC notification without sign_type"]}),
        (37, "timing of the signature comparison", "no measurable difference by position",
         {"tests": ["core/benches/constant_time.rs"], "note": "a dudect-style check run by make bench (a timing is a benchmark, not a unit test)"}),
        (38, "unknown sign_type spellings", "Signature/TypeMismatch", {"vectors": [V + "sign_type 'SHA1'", V + "sign_type 'md5'", V + "sign_type 'HMAC-SHA256 '"]}),
        (39, "API keys of the wrong length", "Config before anything is signed",
         {"vectors": [S + "API key of 31 bytes", S + "API key of 33 bytes", S + "API key with a trailing newline", S + "empty API key"]}),
        (40, "an empty field", "left out of the signed string", {"vectors": [V + "empty field is left out of the signature", N + "40 empty field present"]}),
        (41, "sign left out, sign_type signed", "as WeChat computes it", {"vectors": [S + "Chinese body, sign_type is signed, HMAC-SHA256"]}),
        (42, "a field wxpay does not model", "verified and kept", {"vectors": [N + "42 unknown field is verified and kept", V + "unknown field is verified"]}),
        (43, "re-cut signed messages: the same k=v&k=v text read with other field boundaries", "Protocol: the fields WeChat writes must have their formats",
         {"vectors": [N + "re-cut: attach takes bank_type, cash_fee and fee_type=USD", N + "re-cut: total_fee takes trade_type and transaction_id",
                      P + "43 re-cut: attach takes bank_type, cash_fee and fee_type=USD", S + "value with & and = (protocol property: same string as the split map)"]}),
        (44, "field names with =, & or spaces", "InvalidInput", {"vectors": [S + "field name with =", S + "field name with a space", S + "field name with non-ASCII"]}),
        (45, "NFC and NFD text", "signed byte for byte", {"vectors": [S + "NFC é", S + "NFD é (different bytes, different signature)"]}),
        (46, "values over WeChat's limits", "InvalidInput before sending", {"tests": ["core/tests/requests.rs::unified_order_input_rules"]}),
        (47, "byte order of the pay params", "sorted by byte", {"vectors": [S + "byte order: upper case before _ before lower case", "pay_params.json#7_7 example, MD5"]}),
        (48, "pay params for a known prepay_id", "package and timeStamp as WeChat wants them", {"vectors": ["pay_params.json#7_7 example, HMAC-SHA256", "pay_params.json#empty prepay_id"]}),
        (49, "the official JS-SDK example", "WeChat's signature", {"vectors": ["jssdk.json#official example, url with query"]}),
        (50, "a JS-SDK url with a fragment or escapes", "fragment dropped, escapes kept", {"vectors": ["jssdk.json#fragment is stripped", "jssdk.json#percent escapes are kept byte for byte"]}),
        (51, "a reply with a bad or missing sign", "Signature; nothing in it is used", {"vectors": [R + "51 unifiedorder with a bad sign: prepay_id never returned", R + "51b unifiedorder without sign"]}),
        (52, "return_code FAIL", "Protocol", {"vectors": [R + "52 return_code FAIL"]}),
        (53, "a notification signed with the previous key", "(key rotation)",
         {"not_applicable": "a client holds one API key; a shop rotating keys runs a second client for the old key until WeChat's switch is done"}),
        # The notify handler
        (54, "a genuine notification for an unpaid order", "paid once, SUCCESS", {"vectors": [N + "54 valid notification, MD5, CDATA"], "tests": [HANDLER + "::a_paid_order_is_confirmed_once_and_acknowledged"]}),
        (55, "a forged notification", "refused with FAIL; the shop's order is never looked up",
         {"vectors": [P + "55 signed with another key", P + "55b amount changed after signing"], "tests": [HANDLER + "::forged_and_failed_notifications_never_reach_the_shop_order"]}),
        (56, "a signed notification for another amount", "Mismatch total_fee, FAIL", {"vectors": [P + "56 another amount than the shop's order", N + "56 amount differs from the shop's order"]}),
        (57, "another currency", "Mismatch fee_type", {"vectors": [P + "57 fee_type USD", N + "57b fee_type missing means CNY"]}),
        (58, "another merchant's or account's notification", "Mismatch", {"vectors": [P + "58 another merchant's notification", N + "58 appid of another account"]}),
        (59, "an order the shop does not know", "Mismatch out_trade_no, FAIL so WeChat sends it again", {"vectors": [P + "59 an order the shop does not know"]}),
        (60, "an authentic failed payment", "not paid, SUCCESS", {"vectors": [P + "60 an authentic failed payment is acknowledged", N + "60 result_code FAIL is authentic but not paid"]}),
        (61, "return_code FAIL", "refused", {"vectors": [P + "61 return_code FAIL"]}),
        (62, "the same notification twice", "already paid, SUCCESS, nothing changes", {"vectors": [P + "62 the transaction the shop recorded, delivered again"], "tests": ["examples/django/tests/test_shop.py::test_a_duplicate_notification_changes_nothing"]}),
        (63, "the same notification many times at once", "one state change",
         {"not_applicable": "the state change is the shop's database transaction (the examples lock the row); every concurrent call gets the same decision, which marks the order paid only if it is not yet"}),
        (64, "an old notification replayed after a refund", "no second fulfilment", {"vectors": [P + "62 the transaction the shop recorded, delivered again"]}),
        (65, "another transaction for an order already paid", "Mismatch transaction_id", {"vectors": [P + "65 another transaction than the one the shop recorded"]}),
        (66, "orderquery does not confirm", "refused, FAIL", {"tests": [HANDLER + "::a_payment_orderquery_does_not_confirm_is_refused_for_later", "examples/django/tests/test_shop.py::test_forged_and_tampered_notifications_are_refused"]}),
        (67, "orderquery times out or fails", "refused, retryable, FAIL in time", {"vectors": [P + "67 paid: the confirming orderquery cannot be reached, so it is refused for later"], "tests": [HANDLER + "::orderquery_failing_refuses_with_a_retryable_error_in_time"]}),
        (68, "orderquery reply with a bad signature", "never a confirmation", {"vectors": [R + "68 orderquery with an invalid signature"]}),
        (69, "every trade_state", "mapped; an unknown one is Protocol", {"vectors": [R + "69 unknown trade_state"], "tests": ["core/tests/requests.rs::trade_states_map_to_outcomes"]}),
        (70, "coupons: cash_fee below total_fee", "the amount check uses total_fee", {"vectors": [N + "70 coupon: amount check uses total_fee"]}),
        (71, "amounts written other than WeChat writes them", "refused", {"vectors": [N + "71.0 total_fee '010000' is not an amount", N + "71.6 total_fee '18446744073709551616' is not an amount", P + "71 total_fee '010000'"]}),
        (72, "ordering 0 or a negative amount", "InvalidInput, nothing sent", {"tests": ["core/tests/requests.rs::unified_order_input_rules", "bindings/python/tests/test_bad_input.py", "bindings/node/test/client.test.js"]}),
        (73, "a slow shop handler", "the reply within 5 s",
         {"not_applicable": "wxpay bounds its own part (confirm_timeout, 3 s); what the shop does after the decision is its own, and the README says to record and answer first"}),
        (74, "JSON or empty bodies at the notify URL", "Xml/Malformed", {"vectors": [N + "74 JSON body", N + "74b empty body", P + "74 a JSON body"]}),
        (75, "an implausible time_end", "flagged, never the only reason to refuse",
         {"vectors": [N + "time_end '2014-09-03' is not in WeChat's format"], "not_applicable": "time_end is checked for its format only: a payment WeChat confirms is not refused for its clock"}),
        # Tokens
        (76, "many threads on an empty cache", "one fetch", {"tests": [TOKENS + "::many_threads_one_fetch", FAULTS + "::sixty_four_threads_on_an_empty_cache_fetch_one_token_and_one_ticket"]}),
        (77, "many processes on one store", "one fetch", {"tests": [FLEET + "::eight_processes_of_eight_threads_fetch_one_token_and_one_ticket", FLEET + "::a_token_dir_locks_the_host_with_an_os_file_lock", "bindings/python/tests/test_fleet.py::test_eight_processes_on_redis_fetch_one_token_and_one_ticket", "bindings/python/tests/test_fleet.py::test_eight_processes_on_a_token_dir_fetch_one_token_and_one_ticket", "bindings/php/tests/run.php"]}),
        (78, "a second refresher after the first released the lock", "re-reads, no fetch", {"tests": [FLEET + "::eight_processes_of_eight_threads_fetch_one_token_and_one_ticket"]}),
        (79, "the lock holder killed mid-refresh", "another refreshes after the lock expires", {"tests": [FLEET + "::a_lock_holder_that_died_is_replaced_once_its_lock_expires", "bindings/python/tests/test_fleet.py::test_a_killed_lock_holder_is_replaced_after_its_lock_expires"]}),
        (80, "a release after the lock passed to another", "only the owner releases", {"tests": [FLEET + "::a_late_release_never_frees_another_owners_lock"]}),
        (81, "an older token written last", "the newer token kept", {"not_applicable": "one holder of the refresh lock writes a token generation, and its lock outlives its fetch (the overall deadline plus a second), so two refreshers never race to write"}),
        (82, "early refresh", "the old token served while refreshing", {"tests": [TOKENS + "::early_refresh_keeps_the_old_token_on_failure"]}),
        (83, "many calls failing with 40001 on one token", "one refresh", {"tests": [TOKENS + "::invalidation_only_drops_the_reported_token", FAULTS + "::an_expired_token_is_refreshed_once_and_the_ticket_call_retried"]}),
        (84, "the token endpoint failing", "typed error, a valid token still served", {"tests": [TOKENS + "::early_refresh_keeps_the_old_token_on_failure"], "vectors": [F + "access_token: http_error x2", F + "access_token: systemerror x1"]}),
        (85, "the shared store down", "in-process single-flight with a warning", {"tests": [FLEET + "::redis_down_costs_no_call_and_is_used_again_when_it_is_back", "bindings/python/tests/test_client.py::test_a_failing_token_store_never_fails_a_call"]}),
        (86, "garbage in the store", "a miss", {"tests": [TOKENS + "::garbage_and_expired_entries_are_misses"]}),
        (87, "clocks skewed between hosts", "no refresh thrash", {"not_applicable": "an entry carries the absolute expiry of the host that wrote it; a skew smaller than the refresh margin (5 min) only moves a refresh earlier or later, and the lock keeps it single"}),
        (88, "a cold ticket with a cached token", "one ticket fetch", {"tests": [FAULTS + "::sixty_four_threads_on_an_empty_cache_fetch_one_token_and_one_ticket"]}),
        (89, "two appids on one store", "no cross-talk, no secret stored", {"tests": ["core/src/client/file_store.rs::keys_cannot_leave_the_directory", FLEET + "::two_merchants_in_one_redis_never_see_each_others_tokens"]}),
        (90, "stable_token mode", "forced refreshes capped", {"tests": [FLOW + "::a_new_classic_token_retires_the_old_one_after_the_overlap"]}),
        (91, "an OAuth code exchange that times out", "never retried", {"tests": [FAULTS + "::post_send_failures_never_fail_over_a_code_exchange", FLOW + "::oauth_codes_are_single_use_and_never_retried"], "vectors": [F + "oauth_exchange_code: delay x1", F + "oauth_exchange_code: reset x1"]}),
        (92, "one OAuth code exchanged twice", "the second is refused (40163)", {"tests": [FLOW + "::oauth_codes_are_single_use_and_never_retried"]}),
        # The network
        (93, "the primary domain unreachable", "failover to the backup", {"tests": [FAULTS + "::pre_send_failures_fail_over_to_the_backup_domain"], "vectors": [F + "query_order: the primary refuses connections, the backup answers"]}),
        (94, "repeated pre-send failures", "the backup used for a while", {"tests": ["core/src/client/failover.rs::switches_after_more_than_two_pre_send_failures"]}),
        (95, "unifiedorder sent but never answered", "no failover; identical bytes if retried", {"tests": [FAULTS + "::unified_order_after_a_reset_resends_identical_bytes_and_gets_the_same_order"], "vectors": [F + "unified_order: delay x2", F + "unified_order: delay x1"]}),
        (96, "a reset after unifiedorder was sent", "as 95", {"tests": [FAULTS + "::unified_order_after_a_reset_resends_identical_bytes_and_gets_the_same_order"], "vectors": [F + "unified_order: reset x1", F + "unified_order: truncate x1"]}),
        (97, "orderquery under faults", "retried, recovers", {"tests": [FAULTS + "::idempotent_calls_recover_from_one_fault_of_each_kind"], "vectors": [F + "query_order: reset x1", F + "query_order: delay x1"]}),
        (98, "5xx with an HTML page", "Transport, never parsed", {"tests": [FAULTS + "::each_fault_gives_its_error_when_retries_run_out"], "vectors": [F + "query_order: http_error x2", F + "refund: http_error x2"]}),
        (99, "a truncated reply", "an error, never a partial success", {"tests": [FAULTS + "::each_fault_gives_its_error_when_retries_run_out"], "vectors": [F + "query_order: truncate x2", F + "download_bill: truncate x2"]}),
        (100, "a well-formed reply with a bad signature", "Signature, not retried", {"tests": [FAULTS + "::a_bad_signature_is_never_retried_or_trusted"], "vectors": [F + "query_order: bad_sign x1", F + "refund: bad_sign x2"]}),
        (101, "SYSTEMERROR, then success", "retried with the same bytes", {"tests": [FAULTS + "::idempotent_calls_recover_from_one_fault_of_each_kind"], "vectors": [R + "SYSTEMERROR is retryable", F + "unified_order: systemerror x1", F + "jsapi_ticket: systemerror x1"]}),
        (102, "ORDERPAID and OUT_TRADE_NO_USED", "not retried", {"vectors": [R + "ORDERPAID"]}),
        (103, "an outage under load", "bounded attempts with jitter", {"tests": ["core/src/client/retry.rs::one_budget_for_every_cause", FAULTS + "::one_retry_budget_covers_every_cause"]}),
        (104, "a slow server", "the overall deadline holds", {"tests": [FAULTS + "::the_overall_deadline_bounds_a_slow_simulator"]}),
        (105, "a reply dribbled byte by byte", "the overall deadline holds", {"tests": [FAULTS + "::the_overall_deadline_bounds_a_slow_simulator"]}),
        (106, "a reply of megabytes", "Xml/TooLarge, memory bounded", {"tests": [FAULTS + "::redirects_are_not_followed_and_oversized_replies_are_cut"]}),
        (107, "an untrusted certificate", "refused, no insecure fallback", {"tests": ["sim/tests/mtls.rs::the_simulator_ca_is_not_trusted_by_default"]}),
        (108, "a redirect from the API", "not followed; the signed body goes nowhere else", {"tests": [FAULTS + "::redirects_are_not_followed_and_oversized_replies_are_cut"]}),
        (109, "a caller cancelling mid-call", "returns promptly",
         {"not_applicable": "calls cannot be cancelled from Python or Node once started; every call ends within its overall deadline (15 s by default), and an abandoned asyncio or Promise call finishes on its worker thread"}),
        (110, "secrets in errors and logs", "never there", {"tests": ["core/tests/client_config.rs::secrets_never_show_in_debug", "bindings/python/tests/test_bad_input.py::test_secrets_stay_out_of_repr_and_errors", "bindings/node/test/client.test.js"]}),
        # Bindings
        (111, "Python: None, floats, bools and huge ints as arguments", "TypeError or InvalidInputError", {"tests": ["bindings/python/tests/test_bad_input.py::test_amounts_must_be_int"]}),
        (112, "Python: bodies as bytes, bytearray, memoryview, str, and str with surrogates", "the same result; WxPayError for text that is not Unicode",
         {"tests": ["bindings/python/tests/test_bad_input.py::test_str_bodies_that_are_not_unicode_give_wxpay_errors"]}),
        (113, "Python: generated arguments to every function", "no panic",
         {"tests": ["bindings/python/tests/test_bad_input.py", "bindings/python/tests/test_threads.py"], "open": "Hypothesis over the Python surface"}),
        (114, "JS: undefined and null arguments", "TypeError or a rejection with a code", {"tests": ["bindings/node/test/client.test.js"]}),
        (115, "JS: fractional, NaN, unsafe and string amounts", "refused", {"tests": ["bindings/node/test/client.test.js", "bindings/node/test/types.test.js"]}),
        (116, "JS: lone surrogates, worker threads", "an error; safe", {"tests": ["bindings/node/test/sign-paths.test.js"]}),
        (117, "C: NULL for every pointer", "WXPAY_E_NULL", {"tests": ["bindings/c/tests/c/test_wxpay.c"]}),
        (118, "C: invalid UTF-8", "an error status", {"tests": ["bindings/c/tests/c/test_wxpay.c"],
         "not_applicable": "caller-sized output buffers: the ABI returns allocated strings, so there is no buffer to overflow"}),
        (119, "C: a panic inside the library", "WXPAY_E_INTERNAL, the process continues", {"tests": ["bindings/c/tests/c/test_wxpay.c"]}),
        (120, "the shared fixtures in every language", "the same decisions everywhere", {"tests": ["core/tests/security.rs"]}),
    ]
    assert [e[0] for e in entries] == list(range(1, 121))
    cases = [dict({"name": f"{i} {attack}", "id": i, "attack": attack, "behaviour": expect}, **where)
             for i, attack, expect, where in entries]
    write("security/catalogue.json",
          "the attack catalogue: each entry's vectors (file#case, run by every language), tests (file::test), "
          "or why it does not apply (not_applicable) or what is still open (open)", cases)


def fault_drill_cases():
    """Every client operation against each fault the simulator injects,
    with the retry policy of docs/security.md §5: calls that are safe to
    repeat get one more attempt (identical bytes), an OAuth code exchange
    never does; a reply with a bad signature is never retried or trusted.
    `setup` names what the runner prepares first (an order placed, placed
    five scaled minutes ago, paid or refunded; an OAuth code; a token) and `{no}`, `{code}`, `{today}` in
    args are filled from it. `faults` is how many attempts met the fault,
    `reached` how many reached the operation's handler (the simulator's
    stats counter `stat`), null when it is not fixed (a delayed handler
    finishes after the client gave up)."""
    openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    ops = [
        ("unified_order", "/pay/unifiedorder", "unifiedorder", "none",
         {"body": "drill", "out_trade_no": "{no}", "total_fee": 990, "spbill_create_ip": "127.0.0.1",
          "openid": openid, "notify_url": "http://127.0.0.1:9/notify"}),
        ("query_order", "/pay/orderquery", "orderquery", "placed", {"out_trade_no": "{no}"}),
        # WeChat closes an order only five minutes after it was placed.
        ("close_order", "/pay/closeorder", "closeorder", "placed_5_minutes_ago", {"out_trade_no": "{no}"}),
        ("refund", "/secapi/pay/refund", "refund", "paid",
         {"out_trade_no": "{no}", "out_refund_no": "{no}-r", "total_fee": 990, "refund_fee": 990}),
        ("query_refund", "/pay/refundquery", "refundquery", "refunded", {"out_refund_no": "{no}-r"}),
        ("download_bill", "/pay/downloadbill", "downloadbill", "paid", {"bill_date": "{today}"}),
        ("oauth_exchange_code", "/sns/oauth2/access_token", "oauth_exchanges", "oauth_code", {"code": "{code}"}),
        ("access_token", "/cgi-bin/stable_token", "token_fetches", "none", {}),
        ("jsapi_ticket", "/cgi-bin/ticket/getticket", "ticket_fetches", "token", {}),
    ]
    cases = []
    for op, path, stat, setup, args in ops:
        retried = op != "oauth_exchange_code"
        pay = path.startswith("/pay/") or path.startswith("/secapi/")
        for kind in ["reset", "http_error", "truncate", "delay", "bad_sign", "systemerror"]:
            if kind == "bad_sign" and (not pay or op == "download_bill"):
                continue  # official-account replies and bills carry no signature
            for count in (2, 1):
                attempts = 2 if retried and kind != "bad_sign" else 1
                met = min(count, attempts)
                ok = retried and kind != "bad_sign" and count < attempts
                if kind == "systemerror" and op == "download_bill":
                    error = {"kind": "Protocol", "retryable": True}  # return_code=FAIL: SYSTEMERROR
                elif kind == "systemerror":
                    # A busy answer is safe to repeat: a code exchange WeChat did not
                    # process is not used up (but the client leaves that to the caller).
                    error = {"kind": "Business" if pay else "MpApi", "retryable": True}
                elif kind == "bad_sign":
                    error = {"kind": "Signature", "retryable": False}
                else:
                    error = {"kind": "Transport", "retryable": retried}
                # The handler runs behind truncate, bad_sign and delay; not behind
                # a reset, an error page or SYSTEMERROR. An attempt after the
                # faults reaches it too.
                behind = kind in ("truncate", "bad_sign", "delay")
                reached = (met if behind else 0) + (1 if ok else 0)
                c = {"name": f"{op}: {kind} x{count}", "operation": op, "path": path, "stat": stat, "setup": setup,
                     "args": args, "fault": {"kind": kind, "count": count, "delay_ms": 1300 if kind == "delay" else 0},
                     "faults": met, "reached": None if kind == "delay" else reached}
                c["expect"] = {"ok": True} if ok else {"error": error}
                cases.append(c)
    cases.append({"name": "query_order: the primary refuses connections, the backup answers", "operation": "query_order",
                  "path": None, "stat": "orderquery", "setup": "placed", "args": {"out_trade_no": "{no}"},
                  "fault": {"kind": "dead_primary", "count": 0, "delay_ms": 0}, "faults": 0, "reached": 1,
                  "expect": {"ok": True}})
    write("security/faults.json",
          "fault drills against wxpay-sim: client options are {retries: 1, retry_backoff: 0.01, timeout: 1, "
          "overall_timeout: 5}; fault is added on path after setup; dead_primary points pay_base_url at a closed "
          "port and pay_backup_url at the simulator", cases)


if __name__ == "__main__":
    sign_cases()
    verify_cases()
    xml_cases()
    jssdk_cases()
    pay_params_cases()
    notify_cases()
    refund_notify_cases()
    oauth_cases()
    reply_cases()
    counter_cases()
    mini_program_cases()
    decision_cases()
    # operations.json is the core's operation table, written by
    # packaging/gen_hosts.py from `wxpay schema`.
    bill_cases()
    fund_flow_cases()
    native_cases()
    profit_sharing_cases()
    reconcile_cases()
    notify_handler_cases()
    fault_drill_cases()
    security_catalogue()
    if CHECK:
        if STALE:
            sys.exit("stale vectors (run python3 tests/vectors/generate.py): " + ", ".join(STALE))
        print("vectors are current")
