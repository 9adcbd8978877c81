#!/usr/bin/env python3
"""The declared minimum Rust version (rust-version in the workspace
Cargo.toml) is true: every crate of the workspace declares that one, and no
dependency in Cargo.lock declares a newer one. (clippy's incompatible_msrv
lint, on in `make lint`, checks the standard library items our own code
uses against the same version.) Exits 1, naming what is newer. Run from the
repository root."""

import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def parse(v: str) -> tuple:
    return tuple(int(x) for x in v.split(".")) + (0,) * (3 - len(v.split(".")))


def main() -> int:
    cargo = (ROOT / "Cargo.toml").read_text()
    found = re.search(r'^\[workspace\.package\][^\[]*?^rust-version = "([^"]+)"', cargo, re.M | re.S)
    if not found:
        print("the workspace Cargo.toml declares no rust-version")
        return 1
    msrv = found.group(1)
    meta = json.loads(subprocess.run(["cargo", "metadata", "--format-version", "1", "--locked"], cwd=ROOT,
                                     check=True, capture_output=True, text=True).stdout)
    members = set(meta["workspace_members"])
    wrong = []
    for p in meta["packages"]:
        declared = p.get("rust_version")
        if p["id"] in members:
            if declared != msrv:
                wrong.append(f"{p['name']} declares rust-version {declared} (use rust-version.workspace = true)")
        elif declared and parse(declared) > parse(msrv):
            wrong.append(f"{p['name']} {p['version']} needs Rust {declared}, newer than the declared {msrv}")
    for w in wrong:
        print(w)
    if not wrong:
        print(f"rust-version {msrv}: every crate declares it, no dependency needs newer")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
