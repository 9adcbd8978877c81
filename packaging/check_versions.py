#!/usr/bin/env python3
"""Every package of wxpay says the version of the workspace Cargo.toml.
Exits 1, naming each that does not. Run from the repository root."""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> int:
    cargo = (ROOT / "Cargo.toml").read_text()
    version = re.search(r'^\[workspace\.package\][^\[]*?^version = "([^"]+)"', cargo, re.M | re.S).group(1)  # type: ignore[union-attr]
    wrong = []
    node = json.loads((ROOT / "bindings/node/package.json").read_text())["version"]
    if node != version:
        wrong.append(f"bindings/node/package.json says {node}")
    pom = (ROOT / "bindings/jvm/pom.xml").read_text()
    jar = re.search(r"<artifactId>wxpaykit</artifactId>\s*<version>([^<]+)</version>", pom)
    if not jar or jar.group(1) != version:
        wrong.append(f"bindings/jvm/pom.xml says {jar.group(1) if jar else 'no version'}")
    for toml in sorted(ROOT.glob("**/Cargo.toml")):
        if "target" in toml.parts or "node_modules" in toml.parts or toml.parent.name == "fuzz":
            continue
        text = toml.read_text()
        own = re.search(r'^\[package\][^\[]*?^version = "([^"]+)"', text, re.M | re.S)
        if own and own.group(1) != version:
            wrong.append(f"{toml.relative_to(ROOT)} says {own.group(1)} (use version.workspace = true)")
    if "## " + version not in (ROOT / "CHANGELOG.md").read_text():
        wrong.append(f"CHANGELOG.md has no section for {version}")
    pyproject = (ROOT / "bindings/python/pyproject.toml").read_text()
    if 'dynamic = ["version"]' not in pyproject:
        wrong.append("bindings/python/pyproject.toml must take its version from Cargo (dynamic)")
    for line in wrong:
        print(f"version {version}: {line}", file=sys.stderr)
    if not wrong:
        print(f"every package is version {version}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
