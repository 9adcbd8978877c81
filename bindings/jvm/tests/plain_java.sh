#!/usr/bin/env bash
# Compiles tests/plain/*.java with javac against the installed jar and
# its two dependencies, as a user's project would, and runs it with plain
# `java` (no jna.library.path: the library comes out of the jar).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
m2="$root/.tools/m2"
jar() { ls "$m2"/$1 2>/dev/null | sort -V | tail -1; }
cp="$(jar 'io/github/wxpaykit/wxpaykit/*/wxpaykit-*.jar'):$(jar 'net/java/dev/jna/jna/*/jna-*.jar'):$(jar 'org/jetbrains/kotlin/kotlin-stdlib/*/kotlin-stdlib-*[0-9].jar')"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -d "$out" -cp "$cp" "$root/bindings/jvm/tests/plain/Checkout.java" "$root/bindings/jvm/tests/plain/FfiFirst.java"
java -cp "$out:$cp" Checkout
# Each in its own JVM: which API loads the library first is the point.
java -cp "$out:$cp" FfiFirst
