#!/usr/bin/env python3
"""One published name everywhere: wxpaykit.

The short name is taken on the registries a shop installs from (PyPI's
"wxpay" is an unrelated package, crates.io's "wxpay" another crate), so wxpay
is published as wxpaykit on PyPI, npm, crates.io, Maven Central
(io.github.wxpaykit) and Packagist, and keeps `wxpay` where code names it
(`import wxpay`, `use wxpay::`, the `WxPay\\` namespace, `io.wxpay`, libwxpay).
docs/packaging.md says how each registry was checked.

This checks every manifest that declares a published name, so a manifest
cannot drift back to a name someone else holds; packaging/install_test.sh
checks the built artifacts themselves. Called by `make versions-check`.
"""

import json
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAME = "wxpaykit"
GROUP = "io.github.wxpaykit"


def toml(path: str) -> dict:
    return tomllib.loads((ROOT / path).read_text())


def pom_coordinates(path: str) -> list[tuple[str, str]]:
    """The (groupId, artifactId) pairs of wxpay's own artifact in a pom."""
    text = (ROOT / path).read_text()
    return re.findall(r"<groupId>([^<]*wxpay[^<]*)</groupId>\s*<artifactId>([^<]+)</artifactId>", text)


def main() -> None:
    wrong = []

    def expect(what: str, got: object, want: object) -> None:
        if got != want:
            wrong.append(f"{what}: {got!r}, expected {want!r}")

    expect("core/Cargo.toml package", toml("core/Cargo.toml")["package"]["name"], NAME)
    expect("core/Cargo.toml lib (the name code uses)", toml("core/Cargo.toml")["lib"]["name"], "wxpay")
    expect("workspace dependency", toml("Cargo.toml")["workspace"]["dependencies"]["wxpay"].get("package"), NAME)
    python = toml("bindings/python/pyproject.toml")["project"]
    expect("PyPI distribution", python["name"], NAME)
    expect("PyPI testing extra", python["optional-dependencies"]["testing"], [f"{NAME}-testing"])
    expect("PyPI testing distribution", toml("bindings/python/testing/pyproject.toml")["project"]["name"],
           f"{NAME}-testing")
    expect("npm package", json.loads((ROOT / "bindings/node/package.json").read_text())["name"], NAME)
    expect("Composer package", json.loads((ROOT / "bindings/php/composer.json").read_text())["name"],
           f"{NAME}/{NAME}")
    for pom in ("bindings/jvm/pom.xml", "examples/spring/pom.xml", "bench/jvm/pom.xml"):
        expect(f"{pom} coordinates", pom_coordinates(pom), [(GROUP, NAME)])
    for dependent in ("examples/express/package.json", "bench/node/package.json"):
        deps = json.loads((ROOT / dependent).read_text())["dependencies"]
        expect(f"{dependent} depends on", sorted(d for d in deps if "wxpay" in d), [NAME])
    if wrong:
        sys.exit("published names:\n  " + "\n  ".join(wrong))
    print(f"published names: {NAME} on PyPI, npm, crates.io, Maven Central ({GROUP}) and Packagist")


if __name__ == "__main__":
    main()
