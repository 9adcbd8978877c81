#!/usr/bin/env python3
"""Assembles every artifact of a release into dist/ (make dist builds the
binaries first). One version for all: the workspace Cargo.toml's.

  dist/wxpaykit-V-cp310-abi3-manylinux_*.whl         Python (stubs and py.typed inside)
  dist/wxpaykit_testing-V-…whl                       the simulator for a shop's tests
  dist/wxpaykit-V.tgz                                npm: the package, no binary
  dist/wxpaykit-linux-x64-gnu-V.tgz                npm: the prebuilt addons for that platform
  dist/libwxpay-V-linux-x86_64.tar.gz             C: lib/, include/, lib/pkgconfig/wxpay.pc (relocatable)
  dist/wxpaykit-php-V.tar.gz                       PHP: a Composer package with libwxpay inside

Each package carries its own README (bindings/*/README.md), whose example
packaging/install_test.sh runs from the installed package.

Run from the repository root: python3 packaging/dist.py [--out target/release]
(make dist passes the cargo output folder of the profile it built: release;
make test's install test packs its dev build the same way).
"""

import json
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
STAGE = ROOT / "target" / "dist-stage"
LICENSES = ["LICENSE-MIT", "LICENSE-APACHE"]
PLATFORM = "linux-x64-gnu"  # the npm convention's name for this build
OUT = ROOT / "target" / "release"  # where cargo put the libraries (--out)


def version() -> str:
    text = (ROOT / "Cargo.toml").read_text()
    found = re.search(r'^\[workspace\.package\][^\[]*?^version = "([^"]+)"', text, re.M | re.S)
    if not found:
        sys.exit("no workspace version in Cargo.toml")
    return found.group(1)


def fresh(path: pathlib.Path) -> pathlib.Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def copy(src: pathlib.Path, dst: pathlib.Path) -> None:
    if not src.exists():
        sys.exit(f"make dist: {src.relative_to(ROOT)} is missing (build it first: make dist does)")
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def licenses(into: pathlib.Path) -> None:
    for name in LICENSES:
        copy(ROOT / name, into / name)


def tar(folder: pathlib.Path, out: pathlib.Path) -> None:
    # A release is packed as small as gzip makes it; make test's dev build
    # (unoptimized, several times larger) is packed fast, since it is
    # unpacked once and thrown away.
    level = 1 if OUT.name == "debug" else 9
    with tarfile.open(out, "w:gz", compresslevel=level) as t:
        t.add(folder, arcname=folder.name)


def wheels(v: str) -> None:
    for name in ("wxpaykit", "wxpaykit_testing"):
        found = sorted((ROOT / "target" / "wheels").glob(f"{name}-{v}-*.whl"))
        if not found:
            sys.exit(f"make dist: no {name} {v} wheel in target/wheels")
        copy(found[-1], DIST / found[-1].name)


def npm(v: str) -> None:
    node = ROOT / "bindings" / "node"
    source = json.loads((node / "package.json").read_text())
    # The platform package: the two addons, nothing else.
    platform = fresh(STAGE / f"wxpaykit-{PLATFORM}")
    copy(node / "wxpay.node", platform / "wxpay.node")
    copy(node / "wxpay-testing.node", platform / "wxpay-testing.node")
    licenses(platform)
    (platform / "package.json").write_text(json.dumps({
        "name": f"wxpaykit-{PLATFORM}", "version": v,
        "description": f"The prebuilt wxpay addons for {PLATFORM} (installed by the wxpaykit package)",
        "os": ["linux"], "cpu": ["x64"], "libc": ["glibc"], "license": source["license"],
        "files": ["wxpay.node", "wxpay-testing.node"] + LICENSES,
    }, indent=2) + "\n")
    (platform / "README.md").write_text(f"The prebuilt addons of [wxpaykit](https://www.npmjs.com/package/wxpaykit) for {PLATFORM}.\n")
    # The main package: JavaScript and types; the addon comes from the platform package.
    main = fresh(STAGE / "wxpaykit")
    files = [f for f in source["files"] if not f.endswith(".node")]
    for f in files:
        copy(node / f, main / f)
    licenses(main)
    copy(node / "README.md", main / "README.md")
    package = {k: source[k] for k in ("name", "description", "main", "types", "exports", "engines", "license")}
    package.update(version=v, files=files + LICENSES, optionalDependencies={f"wxpaykit-{PLATFORM}": v})
    (main / "package.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    for folder in (platform, main):
        subprocess.run(["npm", "pack", "--silent", "--pack-destination", str(DIST)], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)


PC = """prefix={prefix}
libdir=${{prefix}}/lib
includedir=${{prefix}}/include

Name: wxpay
Description: WeChat Pay API v2 and v3 done right: signatures, hardened XML, verified replies and notifications
Version: {version}
Libs: -L${{libdir}} -lwxpay
Libs.private: -lpthread -ldl -lm
Cflags: -I${{includedir}}
"""


def c_tree(v: str, into: pathlib.Path, prefix: str) -> None:
    """lib/, include/ and lib/pkgconfig/wxpay.pc under `into`."""
    copy(OUT / "libwxpay.so", into / "lib" / "libwxpay.so")
    copy(OUT / "libwxpay.a", into / "lib" / "libwxpay.a")
    for header in ("wxpay.h", "wxpay_ffi.h"):
        copy(ROOT / "include" / header, into / "include" / header)
    (into / "lib" / "pkgconfig").mkdir(parents=True, exist_ok=True)
    (into / "lib" / "pkgconfig" / "wxpay.pc").write_text(PC.format(prefix=prefix, version=v))


def c_tarball(v: str) -> None:
    top = fresh(STAGE / f"libwxpay-{v}-linux-x86_64")
    # ${pcfiledir}: wherever the tree is unpacked, pkg-config finds it.
    c_tree(v, top, "${pcfiledir}/../..")
    copy(ROOT / "bindings" / "c" / "README.md", top / "README.md")
    licenses(top)
    tar(top, DIST / f"libwxpay-{v}-linux-x86_64.tar.gz")


def php(v: str) -> None:
    top = fresh(STAGE / f"wxpaykit-php-{v}")
    source = ROOT / "bindings" / "php"
    shutil.copytree(source / "src", top / "src")
    copy(source / "autoload.php", top / "autoload.php")
    copy(source / "preload.php", top / "preload.php")
    copy(source / "scope-header.php", top / "scope-header.php")
    composer = json.loads((source / "composer.json").read_text())
    composer["version"] = v
    (top / "composer.json").write_text(json.dumps(composer, indent=4) + "\n")
    copy(OUT / "libwxpay.so", top / "lib" / "libwxpay.so")
    copy(ROOT / "include" / "wxpay_ffi.h", top / "include" / "wxpay_ffi.h")
    copy(source / "README.md", top / "README.md")
    licenses(top)
    tar(top, DIST / f"wxpaykit-php-{v}.tar.gz")


def main() -> None:
    global OUT
    if len(sys.argv) >= 3 and sys.argv[1] == "--out":
        OUT = (ROOT / sys.argv[2]).resolve()
        del sys.argv[1:3]
    if len(sys.argv) == 3 and sys.argv[1] == "--install":
        # make install PREFIX=…: the C library, headers and a wxpay.pc for that prefix.
        prefix = pathlib.Path(sys.argv[2]).resolve()
        c_tree(version(), prefix, str(prefix))
        print(f"installed libwxpay {version()} into {prefix}")
        return
    v = version()
    fresh(DIST)
    wheels(v)
    npm(v)
    c_tarball(v)
    php(v)
    for f in sorted(DIST.iterdir()):
        print(f"dist/{f.name}")


if __name__ == "__main__":
    main()
