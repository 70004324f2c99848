#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine (CI runs as root with no Redis,
# no shellcheck and no deb-src), and fetches a real Redis source tarball for the bastion build tests.
# Idempotent: does nothing when everything is already there.
set -euo pipefail

cache_dir="${REDIS_STACK_CACHE:-$(cd "$(dirname "$0")/.." && pwd)/.cache}"
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
command -v shellcheck >/dev/null || need+=(shellcheck)
command -v gcc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
[ -e /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
# The bastion tests: test certificates (openssl) and the install script's download (curl).
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl ca-certificates)
# The bastion's IAM token signer runs on python3 (AL2023 ships it; its known-answer tests run it here).
command -v python3 >/dev/null || need+=(python3)

apt_updated=no
apt_update() {
  if [ "$apt_updated" = no ]; then apt-get update -qq; apt_updated=yes; fi
}

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-test-deps: missing ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "ensure-test-deps: installing ${need[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# A real Redis source tarball (Debian's orig tarball is the upstream release, byte for byte).
mkdir -p "$cache_dir/redis-src"
if ! ls "$cache_dir"/redis-src/redis_*.orig.tar.gz >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-test-deps: no Redis source tarball in $cache_dir/redis-src; run as root once" >&2
    exit 1
  fi
  if [ ! -e /etc/apt/sources.list.d/debian-src.sources ] && ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
    apt_updated=no
  fi
  apt_update
  (cd "$cache_dir/redis-src" && apt-get source --download-only -qq redis >/dev/null)
fi
ls "$cache_dir"/redis-src/redis_*.orig.tar.gz >/dev/null
