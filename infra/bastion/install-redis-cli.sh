#!/bin/bash
# Bastion user-data body: builds a pinned, SHA-256-verified redis-cli with TLS and installs it together
# with the redis-connect helper. infra/bastion/user-data.ts renders it with its settings assigned right
# after the shebang; run by hand it takes them from the environment: REDIS_CLI_VERSION,
# REDIS_CLI_SOURCE_URL, REDIS_CLI_SHA256, REDIS_CONNECT_SCRIPT (the helper's full text).
# Paths (production defaults), overridable so tests don't touch the machine's own files:
#   REDIS_CLI_INSTALL_DIR (/usr/local/bin)   REDIS_CLI_LOG_FILE (/var/log/redis-cli-install.log)
#   REDIS_CLI_MARKER (/var/lib/redis-stack/redis-cli.ready)   REDIS_CLI_WORK_DIR (/var/tmp)
set -Eeuo pipefail
umask 022

version=${REDIS_CLI_VERSION:?REDIS_CLI_VERSION is not set}
url=${REDIS_CLI_SOURCE_URL:?REDIS_CLI_SOURCE_URL is not set}
sha256=${REDIS_CLI_SHA256:?REDIS_CLI_SHA256 is not set}
connect_script=${REDIS_CONNECT_SCRIPT:?REDIS_CONNECT_SCRIPT is not set}
install_dir=${REDIS_CLI_INSTALL_DIR:-/usr/local/bin}
log_file=${REDIS_CLI_LOG_FILE:-/var/log/redis-cli-install.log}
marker=${REDIS_CLI_MARKER:-/var/lib/redis-stack/redis-cli.ready}
work_parent=${REDIS_CLI_WORK_DIR:-/var/tmp}
cli="$install_dir/redis-cli"
connect="$install_dir/redis-connect"

mkdir -p "$(dirname "$log_file")"
# Under cloud-init stdout is the console (and cloud-init-output.log); the log file keeps its own copy.
exec > >(tee -a "$log_file") 2>&1

log() { printf '%s redis-cli-install: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "ERROR: $*"; exit 1; }

work=""
tmp_files=()
cleanup() {
  local status=$?
  [ -z "$work" ] || rm -rf "$work"
  [ ${#tmp_files[@]} -eq 0 ] || rm -f "${tmp_files[@]}"
  [ "$status" -eq 0 ] || log "FAILED (exit $status); full log: $log_file"
}
trap cleanup EXIT
trap 'log "ERROR: command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

# Inputs are validated again here: the script also runs by hand, outside the renderer.
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version '$version' is not MAJOR.MINOR.PATCH"
[[ $sha256 =~ ^[0-9a-f]{64}$ ]] || die "sha256 '$sha256' is not 64 lower-case hex digits"
[[ $url =~ ^[[:graph:]]+$ ]] || die "source URL '$url' contains blanks or control characters"
case "$url" in
  *@*) die "source URL '$url' must not contain credentials ('@')" ;;
  https://*) url_protos='=https' ;;
  http://127.0.0.1[:/]* | http://localhost[:/]* | http://\[::1\][:/]*) url_protos='=http' ;;
  *) die "source URL '$url' must be https:// (plain http only on loopback)" ;;
esac

# Atomic: a reader sees the old file or the new one, never a partial one.
install_file() { # <source file> <mode> <destination>
  local tmp
  tmp=$(mktemp "$(dirname "$3")/.$(basename "$3").XXXXXX")
  tmp_files+=("$tmp")
  cat "$1" >"$tmp"
  chmod "$2" "$tmp"
  mv -f "$tmp" "$3"
}

cli_is_pinned() { # <redis-cli path>: runs, is the pinned version and knows --tls
  local out
  [ -x "$1" ] || return 1
  out=$("$1" --tls --version 2>/dev/null) || return 1
  case "$out" in "redis-cli $version" | "redis-cli $version "*) return 0 ;; esac
  return 1
}

connect_is_current() { [ -f "$connect" ] && printf '%s' "$connect_script" | cmp -s - "$connect"; }

install_connect() {
  printf '%s' "$connect_script" >"$work/redis-connect"
  install_file "$work/redis-connect" 0755 "$connect"
  log "installed $connect"
}

write_marker() {
  printf 'version=%s\nsha256=%s\nsource_url=%s\nredis_cli=%s\ninstalled_at=%s\n' \
    "$version" "$sha256" "$url" "$cli" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$work/marker"
  install_file "$work/marker" 0644 "$marker"
}

retry() { # <attempts> <command...>: for package managers, whose mirrors fail transiently
  local attempts=$1 n=1
  shift
  until "$@"; do
    [ "$n" -lt "$attempts" ] || return 1
    log "attempt $n of $attempts failed: $*; retrying in $((n * 5)) s"
    sleep $((n * 5))
    n=$((n + 1))
  done
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  # Fresh Ubuntu instances run unattended-upgrades at boot: wait for the dpkg lock instead of failing.
  apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@"
}

install_build_deps() {
  local pm pkgs=() missing=() p
  if command -v dnf >/dev/null 2>&1; then
    pm=dnf pkgs=(gcc make openssl-devel)
  elif command -v yum >/dev/null 2>&1; then
    pm=yum pkgs=(gcc make openssl-devel)
  elif command -v apt-get >/dev/null 2>&1; then
    pm=apt-get pkgs=(gcc make libssl-dev)
  else
    die "no supported package manager: need dnf (Amazon Linux 2023), yum (Amazon Linux 2) or apt-get (Debian/Ubuntu)"
  fi
  for p in "${pkgs[@]}"; do
    if [ "$pm" = apt-get ]; then
      # shellcheck disable=SC2016 # ${Status} is dpkg-query's format field, not a shell expansion
      [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
    else
      rpm -q --quiet "$p" || missing+=("$p")
    fi
  done
  # By command, not package: Amazon Linux 2023 ships curl-minimal, which conflicts with the curl package.
  if ! command -v curl >/dev/null 2>&1; then
    missing+=(curl)
    [ "$pm" != apt-get ] || missing+=(ca-certificates)
  fi
  if [ ${#missing[@]} -eq 0 ]; then
    log "build dependencies already installed ($pm: ${pkgs[*]})"
    return
  fi
  log "installing build dependencies with $pm: ${missing[*]}"
  case "$pm" in
    apt-get) retry 3 apt_install "${missing[@]}" ;;
    *) retry 3 "$pm" install -y -q "${missing[@]}" ;;
  esac || die "could not install ${missing[*]} with $pm"
}

log "start: redis-cli $version from $url (sha256 $sha256) into $install_dir"
mkdir -p "$(dirname "$marker")" "$install_dir"
exec 9>"$marker.lock"
flock -w 900 9 || die "another install holds $marker.lock"
work=$(mktemp -d "$work_parent/redis-cli-install.XXXXXX")

if [ -f "$marker" ] && grep -Fqx "version=$version" "$marker" && grep -Fqx "sha256=$sha256" "$marker" &&
  cli_is_pinned "$cli"; then
  if connect_is_current; then
    log "READY: redis-cli $version (TLS) already installed at $cli; nothing to do"
    exit 0
  fi
  install_connect
  write_marker
  log "READY: redis-cli $version (TLS) at $cli; redis-connect updated"
  exit 0
fi

install_build_deps

tarball="$work/redis-$version.tar.gz"
log "downloading $url"
curl --fail --silent --show-error --location --proto "$url_protos" --proto-redir '=https' \
  --connect-timeout 15 --max-time 600 --retry 5 --retry-connrefused --retry-max-time 180 \
  --output "$tarball" "$url" || die "download of $url failed"

# Verified before tar reads a single byte: an unverified archive is never unpacked.
actual=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$actual" != "$sha256" ]; then
  rm -f "$tarball"
  die "SHA-256 mismatch for $url: expected $sha256, got $actual; nothing was extracted or installed"
fi
log "SHA-256 verified: $actual"

log "extracting"
mkdir "$work/src"
tar -xzf "$tarball" -C "$work/src" --strip-components=1 --no-same-owner --no-same-permissions
src_version=$(sed -n 's/^#define REDIS_VERSION "\(.*\)"$/\1/p' "$work/src/src/version.h" 2>/dev/null || true)
[ "$src_version" = "$version" ] || die "the tarball holds Redis '${src_version:-unknown}', not the pinned $version"

# Only what redis-cli links: its link rule in src/Makefile names the deps it needs (hiredis and linenoise
# up to 7.2, plus hdr_histogram from 7.4). Lua and jemalloc, which dominate a full build, are skipped.
make_args=(-C "$work/src" -j"$(nproc)" BUILD_TLS=yes MALLOC=libc)
# shellcheck disable=SC2016 # $(REDIS_CLI_NAME) is the Makefile's text, not a shell expansion
cli_deps=$(sed -n '/^\$(REDIS_CLI_NAME):/{n;p;q}' "$work/src/src/Makefile" |
  grep -o '\.\./deps/[A-Za-z0-9_]*' | sed 's#.*/##' | sort -u | tr '\n' ' ' || true)
cli_deps=${cli_deps% }
if [[ " $cli_deps " == *" hiredis "* ]]; then
  make_args+=("DEPENDENCY_TARGETS=$cli_deps")
else
  log "could not read redis-cli's dependencies from src/Makefile; building the default dependency set"
fi
log "building: make ${make_args[*]} redis-cli"
make "${make_args[@]}" redis-cli || die "build of redis-cli $version failed"

built="$work/src/src/redis-cli"
cli_is_pinned "$built" || die "the built redis-cli does not run as version $version with --tls: $("$built" --tls --version 2>&1 || true)"
log "built $("$built" --version) with TLS"

install_file "$built" 0755 "$cli"
log "installed $cli"
install_connect
command -v aws >/dev/null 2>&1 || log "warning: no aws CLI on PATH; redis-connect needs it to read SSM parameters"
write_marker
log "READY: redis-cli $version (TLS) at $cli; connect with: redis-connect"
