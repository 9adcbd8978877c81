#!/usr/bin/env bash
# The Debian packages the test suites need, installed with one apt-get when
# any is missing (make deps; every suite target depends on it). Each line:
# the package, then the check that says it is already there.
set -euo pipefail

missing=()
need() { # need PACKAGE CHECK...
  local package=$1; shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
has() { command -v "$1"; }

need redis-server       has redis-server                      # the fleet tests start their own
need valgrind           has valgrind                          # the C tests
need pkg-config         has pkg-config                        # the C examples and install tests
need libcjson-dev       test -f /usr/include/cjson/cJSON.h    # the C test reads the vectors
need php-cli            has php                               # the PHP binding (FFI)
need composer           has composer                          # the PHP install test
need php-fpm            bash -c 'compgen -G "/usr/sbin/php-fpm*"' # the PHP shop under php-fpm
need nginx              bash -c 'command -v nginx || test -x /usr/sbin/nginx' # in front of php-fpm
need chromium           has chromium                          # the browser test
need fonts-wqy-zenhei   bash -c 'fc-list | grep -qi wenquanyi' # CJK text in its screenshots
if ! has javac >/dev/null || ! has mvn >/dev/null; then
  missing+=(openjdk-17-jdk-headless maven)                    # the JVM binding
fi

if ((${#missing[@]})); then
  echo "make deps: installing ${missing[*]} with apt-get"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "make deps: apt-get could not install ${missing[*]}; the suites that need them cannot run" >&2
    exit 1
  fi
fi
for tool in redis-server valgrind pkg-config php composer chromium javac mvn; do
  has "$tool" >/dev/null || { echo "make deps: $tool is still missing" >&2; exit 1; }
done
compgen -G "/usr/sbin/php-fpm*" >/dev/null || { echo "make deps: php-fpm is still missing" >&2; exit 1; }
{ has nginx || test -x /usr/sbin/nginx; } >/dev/null || { echo "make deps: nginx is still missing" >&2; exit 1; }
php -r 'exit(class_exists("FFI") ? 0 : 1);' || { echo "make deps: php has no FFI extension" >&2; exit 1; }
