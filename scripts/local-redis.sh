#!/usr/bin/env bash
# A local, ElastiCache-like Redis for trying and testing the connectivity check (npm run redis:check):
# TLS only (self-signed CA generated here), AUTH token, TLS between nodes too, loopback only.
#
#   scripts/local-redis.sh start|stop|status [--mode cluster|replicated] [--acl]
#   scripts/local-redis.sh rotate-token --strategy ROTATE|SET [--mode cluster|replicated]
#
#   rotate-token mirrors ElastiCache's authTokenUpdateStrategy on the running nodes. ROTATE reads a new token
#   on stdin (never argv) and adds it beside the current one on every node, so both work while clients move;
#   SET (allowed only after a ROTATE, as ElastiCache) leaves only the newest token. The token file (what SSM
#   Parameter Store holds for the real stack) changes only after every node accepted the new token, so it never
#   names a token the cache refuses.
#
#   cluster     3 shards x 1 replica (cluster mode enabled, like a configuration endpoint)
#   replicated  one primary with one replica (cluster mode disabled, like a primary endpoint)
#   --acl       ACL users mirroring the iam mode's RBAC user group instead of one AUTH token: the default
#               user off with no password and no access, and the bastion's user redis-local-bastion with its
#               access string (infra/redis.ts BASTION_ACCESS_STRING), whose password, <state>/iam-token,
#               stands in for an IAM auth token (a local server cannot verify SigV4). The script itself
#               works as the user admin (the token file), as ElastiCache's own management does.
#
# Environment:
#   LOCAL_REDIS_DIR        state root (default: <repo>/.cache/local-redis); each mode uses <root>/<mode>
#   LOCAL_REDIS_BASE_PORT  first port tried (default: 7100 cluster, 7200 replicated); the first block
#                          of free ports at or above it is used (cluster bus ports are port+10000)
#
# After start, <state>/info.env holds the endpoint as KEY=VALUE lines, for tools and tests.
# stop ends only the redis-server processes named by this state's pid files, and only while each is the
# process started (start time and command line recorded at start, not its name alone). A start that fails stops
# the nodes it had started. In cluster mode, status and start also ask the cluster itself (CLUSTER INFO:
# cluster_state:ok, all 16384 slots): live pids alone say nothing about a cluster that never formed.
# Exit status: 0 ok; 1 failed; 2 usage; status: 3 not started or stopped, 4 degraded (nodes down, cluster not ok).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|status [--mode cluster|replicated] [--acl]" >&2
  echo "       $0 rotate-token --strategy ROTATE|SET [--mode cluster|replicated]   (ROTATE: the new token on stdin)" >&2
  exit 2
}

die() {
  echo "local-redis: $*" >&2
  exit 1
}

[ $# -ge 1 ] || usage
action=$1
shift
case "$action" in
  start | stop | status | rotate-token) ;;
  -h | --help) usage ;;
  *)
    echo "local-redis: unknown action '$action' (allowed: start, stop, status, rotate-token)" >&2
    usage
    ;;
esac

mode=cluster
acl=no
strategy=''
while [ $# -gt 0 ]; do
  case "$1" in
    --acl)
      acl=yes
      shift
      ;;
    --strategy)
      [ "$action" = rotate-token ] || die "--strategy is for rotate-token only"
      [ $# -ge 2 ] || die "--strategy needs a value (allowed: ROTATE, SET)"
      strategy=$2
      shift 2
      ;;
    --mode)
      [ $# -ge 2 ] || die "--mode needs a value (allowed: cluster, replicated)"
      mode=$2
      shift 2
      ;;
    --mode=*)
      mode=${1#--mode=}
      shift
      ;;
    *) die "unknown argument '$1' (allowed: --mode cluster|replicated, --acl, and --strategy ROTATE|SET for rotate-token)" ;;
  esac
done
if [ "$action" = rotate-token ]; then
  case "$strategy" in
    ROTATE | SET) ;;
    '') die "rotate-token needs --strategy ROTATE or --strategy SET" ;;
    *) die "--strategy must be ROTATE or SET, got '$strategy'" ;;
  esac
fi
case "$mode" in
  cluster) nodes=6 default_base=7100 ;;
  replicated) nodes=2 default_base=7200 ;;
  *) die "--mode must be cluster or replicated, got '$mode'" ;;
esac

repo_root=$(cd "$(dirname "$0")/.." && pwd)
state_root=${LOCAL_REDIS_DIR:-$repo_root/.cache/local-redis}
state=$state_root/$mode
base_port=${LOCAL_REDIS_BASE_PORT:-$default_base}
case "$base_port" in
  '' | *[!0-9]*) die "LOCAL_REDIS_BASE_PORT must be a port number, got '$base_port'" ;;
esac
if [ "$base_port" -lt 1024 ] || [ "$base_port" -gt 55000 ]; then
  die "LOCAL_REDIS_BASE_PORT must be between 1024 and 55000 (bus ports are port+10000), got '$base_port'"
fi

ensure_redis() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
  fi
  echo "local-redis: installing ${missing[*]} with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Something listening answers a connect; a free port refuses it.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

block_free() {
  local first=$1 i p
  for ((i = 0; i < nodes; i++)); do
    p=$((first + i))
    port_in_use "$p" && return 1
    if [ "$mode" = cluster ]; then port_in_use $((p + 10000)) && return 1; fi
  done
  return 0
}

pick_ports() {
  local first=$base_port tries
  for ((tries = 0; tries < 50; tries++)); do
    if block_free "$first"; then
      echo "$first"
      return 0
    fi
    first=$((first + nodes))
  done
  die "no block of $nodes free ports between $base_port and $first; set LOCAL_REDIS_BASE_PORT"
}

node_ports() {
  local first
  first=$(sed -n 's/^LOCAL_REDIS_FIRST_PORT=//p' "$state/info.env" 2>/dev/null || true)
  [ -n "$first" ] || return 0
  seq "$first" $((first + nodes - 1))
}

# What tells a process apart from a later one with the same pid: its start time (field 22 of /proc/PID/stat,
# in clock ticks since boot; counted after the command name, which may hold spaces) and its command line.
# A name alone does not: a pid file left behind may name an unrelated redis-server that got the pid since.
# The process may exit between the two reads: then it has no identity (stderr is silenced before the redirect from
# /proc is attempted, or bash reports the missing file).
proc_identity() {
  local pid=$1 stat fields cmdline
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  read -r -a fields <<<"${stat##*) }"
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  printf '%s %s\n' "${fields[19]}" "$cmdline"
}

# Records, next to a node's pid file, the identity of the process it names, as soon as the daemonized server
# has written that file (before anything can fail, so a failed start still stops it). A server that wrote none
# (it failed to start: wait_node says why) has nothing to record.
record_identity() {
  local dir=$1 pid i
  for ((i = 0; i < 40; i++)); do
    [ -s "$dir/redis.pid" ] && break
    sleep 0.05
  done
  pid=$(cat "$dir/redis.pid" 2>/dev/null) || return 0
  proc_identity "$pid" >"$dir/redis.identity" || rm -f "$dir/redis.identity"
}

# A pid counts as ours only if its pid file is in our state dir and the process is the one that was started:
# the same start time and command line as recorded at start (a redis-server named in a stale pid file is not).
# A server removes its pid file as it shuts down, so the file may go between the test and the read.
live_pid() {
  local dir=$1 pid
  [ -f "$dir/redis.identity" ] || return 1
  pid=$(cat "$dir/redis.pid" 2>/dev/null) || return 1
  case "$pid" in '' | *[!0-9]*) return 1 ;; esac
  [ "$(proc_identity "$pid")" = "$(cat "$dir/redis.identity")" ] || return 1
  echo "$pid"
}

# The bastion's user and access string in --acl mode (test/redis/acl-local.int.test.ts checks they are
# infra/redis.ts's BASTION_ACCESS_STRING).
acl_user=redis-local-bastion
acl_access='on ~* &* +@all -@dangerous +info'

# Whether the nodes of this state run with ACL users: recorded at start, so stop and status need no flag.
acl_state() { if [ -f "$state/acl" ]; then echo yes; else echo no; fi; }

cli() {
  local port=$1 user=()
  shift
  [ "$(acl_state)" = yes ] && user=(--user admin)
  REDISCLI_AUTH=$(cat "$state/token") redis-cli --tls --cacert "$state/ca.crt" "${user[@]}" -h 127.0.0.1 -p "$port" "$@"
}

make_certs() {
  [ -f "$state/server.crt" ] && [ -f "$state/ca.crt" ] && return 0
  openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 3650 \
    -subj "/CN=local-redis test CA" -keyout "$state/ca.key" -out "$state/ca.crt" 2>/dev/null
  openssl req -new -nodes -newkey rsa:2048 -sha256 -subj "/CN=localhost" \
    -keyout "$state/server.key" -out "$state/server.csr" 2>/dev/null
  # clientAuth too: nodes present this certificate as clients on the cluster bus and for replication.
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    "extendedKeyUsage=serverAuth,clientAuth" "basicConstraints=CA:FALSE" >"$state/server.ext"
  openssl x509 -req -in "$state/server.csr" -CA "$state/ca.crt" -CAkey "$state/ca.key" \
    -CAcreateserial -days 3650 -sha256 -extfile "$state/server.ext" -out "$state/server.crt" 2>/dev/null
  chmod 600 "$state/ca.key" "$state/server.key"
}

write_conf() {
  local port=$1 dir=$state/node-$1
  mkdir -p "$dir"
  # The log too: a start looks in it for why a node did not come up.
  rm -f "$dir/nodes.conf" "$dir/dump.rdb" "$dir/redis.log"
  {
    echo "bind 127.0.0.1"
    echo "port 0"
    echo "tls-port $port"
    echo "tls-cert-file $state/server.crt"
    echo "tls-key-file $state/server.key"
    echo "tls-ca-cert-file $state/ca.crt"
    echo "tls-auth-clients no"
    echo "tls-replication yes"
    if [ "$acl" = yes ]; then
      echo "user default off resetpass resetkeys resetchannels -@all"
      echo "user admin on >$(cat "$state/token") ~* &* +@all"
      echo "user $acl_user on >$(cat "$state/iam-token") $acl_access"
      echo "masteruser admin"
    else
      echo "requirepass $(cat "$state/token")"
    fi
    echo "masterauth $(cat "$state/token")"
    echo "dir $dir"
    echo "pidfile $dir/redis.pid"
    echo "logfile $dir/redis.log"
    echo "daemonize yes"
    echo 'save ""'
    echo "appendonly no"
    echo "repl-diskless-sync yes"
    echo "repl-diskless-sync-delay 0"
    # CLUSTER SLOTS hides replicas whose replication offset is still 0; frequent pings move it on an idle cluster.
    echo "repl-ping-replica-period 1"
    if [ "$mode" = cluster ]; then
      echo "cluster-enabled yes"
      echo "tls-cluster yes"
      echo "cluster-config-file $dir/nodes.conf"
      # Low so a replica takes over within a couple of seconds of its primary dying.
      echo "cluster-node-timeout 1000"
      echo "cluster-replica-validity-factor 0"
    fi
  } >"$dir/redis.conf"
  chmod 600 "$dir/redis.conf"
}

wait_for() {
  local what=$1 tries=$2
  shift 2
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "timed out waiting for $what (logs: $state/node-*/redis.log)"
}

pong() { [ "$(cli "$1" ping 2>/dev/null)" = PONG ]; }

# Why a node that was launched is not answering, from its log (e.g. "bind: Address already in use");
# empty while nothing went wrong. redis-server daemonizes before it binds, so its exit status cannot say.
node_failure() {
  local log=$state/node-$1/redis.log
  [ -f "$log" ] || return 0
  grep -m1 -E 'Could not create server|Address already in use|Failed listening|Fatal|FATAL|aborting' "$log" |
    sed -E 's/^[0-9]+:[A-Z] [0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9:.]+ [#*.-] //' || true
}

# Waits for a launched node to answer PING; fails at once, with the log's reason, if it gave up.
wait_node() {
  local port=$1 i why
  for ((i = 0; i < 100; i++)); do
    pong "$port" && return 0
    why=$(node_failure "$port")
    [ -z "$why" ] || die "redis-server on 127.0.0.1:$port failed: $why (log: $state/node-$port/redis.log)"
    sleep 0.1
  done
  die "timed out waiting for 127.0.0.1:$port to answer PING (log: $state/node-$port/redis.log)"
}

# "ok" when the node sees a working cluster with every slot assigned, else what it sees instead.
cluster_health() {
  local info stat slots
  info=$(cli "$1" cluster info 2>/dev/null | tr -d '\r') || true
  stat=$(sed -n 's/^cluster_state://p' <<<"$info")
  slots=$(sed -n 's/^cluster_slots_ok://p' <<<"$info")
  if [ "$stat" = ok ] && [ "$slots" = 16384 ]; then
    echo ok
  else
    echo "cluster_state:${stat:-unknown}, ${slots:-?} of 16384 slots ok on 127.0.0.1:$1"
  fi
}

# "ok", or the first node's account of why the cluster is not working.
cluster_formed() {
  local port h
  for port in $(node_ports); do
    h=$(cluster_health "$port")
    if [ "$h" != ok ]; then
      echo "$h"
      return 0
    fi
  done
  echo ok
}
cluster_ok() { cli "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
link_up() { cli "$1" info replication 2>/dev/null | grep -q '^master_link_status:up'; }
# Every node must know all three primary/replica pairs (learnt by gossip, after replication is up)
# and list them in CLUSTER SLOTS, which is what clients read.
knows_replicas() {
  [ "$(cli "$1" cluster nodes 2>/dev/null | grep -c 'slave [0-9a-f]\{40\} ')" -eq $((nodes / 2)) ] &&
    [ "$(cli "$1" cluster slots 2>/dev/null | grep -c '^127\.0\.0\.1$')" -eq "$nodes" ]
}
is_replica() { cli "$1" info replication 2>/dev/null | grep -q '^role:slave'; }

print_info() {
  # shellcheck disable=SC1091
  . "$state/info.env"
  echo "local-redis ($mode): TLS-only Redis on 127.0.0.1, ports $LOCAL_REDIS_PORTS"
  echo "  endpoint: $LOCAL_REDIS_HOST"
  echo "  port:     $LOCAL_REDIS_PORT"
  echo "  CA:       $LOCAL_REDIS_CA"
  if [ "${LOCAL_REDIS_ACL_USER:-}" != "" ]; then
    echo "  user:     $LOCAL_REDIS_ACL_USER (default user off); its IAM token stand-in: export REDISCLI_AUTH=\"\$(cat $LOCAL_REDIS_IAM_TOKEN_FILE)\""
    echo "  check:    npm run redis:check -- --host $LOCAL_REDIS_HOST --port $LOCAL_REDIS_PORT --tls --ca $LOCAL_REDIS_CA --user $LOCAL_REDIS_ACL_USER"
  else
    echo "  token:    export REDISCLI_AUTH=\"\$(cat $LOCAL_REDIS_TOKEN_FILE)\""
    echo "  check:    npm run redis:check -- --host $LOCAL_REDIS_HOST --port $LOCAL_REDIS_PORT --tls --ca $LOCAL_REDIS_CA"
  fi
  echo "  cli:      redis-cli -c --tls --cacert $LOCAL_REDIS_CA -h $LOCAL_REDIS_HOST -p $LOCAL_REDIS_PORT"
}

running_count() {
  local n=0 port
  for port in $(node_ports); do
    if live_pid "$state/node-$port" >/dev/null; then n=$((n + 1)); fi
  done
  echo "$n"
}

do_status() {
  if [ ! -f "$state/info.env" ]; then
    echo "local-redis ($mode): not started (no $state/info.env)"
    return 3
  fi
  local running
  running=$(running_count)
  if [ "$running" -eq 0 ]; then
    echo "local-redis ($mode): stopped"
    return 3
  fi
  print_info
  echo "  running:  $running of $nodes nodes"
  local health=ok
  if [ "$mode" = cluster ] && [ "$running" -eq "$nodes" ]; then
    health=$(cluster_formed)
    if [ "$health" = ok ]; then
      echo "  cluster:  ok, all 16384 slots served"
    else
      echo "  cluster:  NOT working ($health); restart: npm run redis:local -- stop --mode cluster, then start"
    fi
  fi
  local port role
  for port in $(node_ports); do
    if pid=$(live_pid "$state/node-$port"); then
      role=$(cli "$port" info replication 2>/dev/null | sed -n 's/^role:\(.*\)\r$/\1/p' || true)
      echo "    127.0.0.1:$port pid $pid ${role:-unreachable}"
    else
      echo "    127.0.0.1:$port down"
    fi
  done
  [ "$running" -eq "$nodes" ] && [ "$health" = ok ] || return 4
}

do_stop() {
  local port pid pids=() identities=()
  for port in $(node_ports); do
    if pid=$(live_pid "$state/node-$port"); then
      pids+=("$pid")
      identities+=("$(cat "$state/node-$port/redis.identity")")
      # NOW: a primary would otherwise wait for its replicas before exiting.
      cli "$port" shutdown nosave now >/dev/null 2>&1 &
    fi
  done
  wait
  # Until each is gone, reaped included: a zombie keeps its start time (it is still that process) but has lost
  # its command line, so only a live one with its whole identity is SIGKILLed.
  local i j alive
  for ((i = 0; i < 50; i++)); do
    alive=()
    for j in "${!pids[@]}"; do
      if [ "$(proc_identity "${pids[$j]}" | cut -d' ' -f1)" = "${identities[$j]%% *}" ]; then alive+=("$j"); fi
    done
    [ ${#alive[@]} -eq 0 ] && break
    sleep 0.1
  done
  for j in "${alive[@]}"; do
    if [ "$(proc_identity "${pids[$j]}")" = "${identities[$j]}" ]; then kill -KILL "${pids[$j]}" 2>/dev/null || true; fi
  done
  for port in $(node_ports); do rm -f "$state/node-$port/redis.pid" "$state/node-$port/redis.identity"; done
  echo "local-redis ($mode): stopped ${#pids[@]} node(s)"
}

do_start() {
  ensure_redis
  mkdir -p "$state"
  chmod 700 "$state"
  if [ -f "$state/info.env" ]; then
    local running
    running=$(running_count)
    if [ "$running" -gt 0 ] && [ "$(acl_state)" != "$acl" ]; then
      die "the running nodes were started $([ "$acl" = yes ] && echo without || echo with) --acl; run: $0 stop --mode $mode"
    fi
    if [ "$running" -eq "$nodes" ]; then
      local health=ok
      [ "$mode" = cluster ] && health=$(cluster_formed)
      if [ "$health" = ok ]; then
        print_info
        return 0
      fi
      # Ours (pid files in our state dir) but useless, e.g. a start killed before the cluster formed.
      echo "local-redis: the $nodes nodes of an earlier start form no working cluster ($health); starting afresh" >&2
      do_stop >/dev/null
      running=0
    fi
    if [ "$running" -gt 0 ]; then
      die "$running of $nodes nodes still running from an earlier start; run: $0 stop --mode $mode"
    fi
  fi
  [ -f "$state/token" ] || { openssl rand -hex 24 >"$state/token" && chmod 600 "$state/token"; }
  if [ "$acl" = yes ]; then
    [ -f "$state/iam-token" ] || { openssl rand -hex 24 >"$state/iam-token" && chmod 600 "$state/iam-token"; }
    touch "$state/acl"
  else
    rm -f "$state/acl"
  fi
  make_certs
  local first
  first=$(pick_ports)
  local ports=() i
  for ((i = 0; i < nodes; i++)); do ports+=($((first + i))); done
  {
    echo "LOCAL_REDIS_MODE=$mode"
    echo "LOCAL_REDIS_HOST=127.0.0.1"
    echo "LOCAL_REDIS_PORT=$first"
    echo "LOCAL_REDIS_FIRST_PORT=$first"
    echo "LOCAL_REDIS_PORTS=$(IFS=,; echo "${ports[*]}")"
    echo "LOCAL_REDIS_CA=$state/ca.crt"
    echo "LOCAL_REDIS_TOKEN_FILE=$state/token"
    echo "LOCAL_REDIS_STATE=$state"
    if [ "$acl" = yes ]; then
      echo "LOCAL_REDIS_ACL_USER=$acl_user"
      echo "LOCAL_REDIS_IAM_TOKEN_FILE=$state/iam-token"
    fi
  } >"$state/info.env"

  # From here on, a failure stops the nodes already started (die exits through this trap).
  trap 'on_failed_start' EXIT
  local port
  for port in "${ports[@]}"; do
    write_conf "$port"
    if [ "$mode" = replicated ] && [ "$port" != "$first" ]; then
      echo "replicaof 127.0.0.1 $first" >>"$state/node-$port/redis.conf"
    fi
    redis-server "$state/node-$port/redis.conf" || die "redis-server failed on port $port (log: $state/node-$port/redis.log)"
    record_identity "$state/node-$port"
    wait_node "$port"
    [ -s "$state/node-$port/redis.identity" ] || record_identity "$state/node-$port"
    [ -s "$state/node-$port/redis.identity" ] || die "redis-server on 127.0.0.1:$port wrote no pid file ($state/node-$port)"
  done

  if [ "$mode" = cluster ]; then
    local addrs=()
    for port in "${ports[@]}"; do addrs+=("127.0.0.1:$port"); done
    cli "$first" --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$state/cluster-create.log" 2>&1 ||
      die "cluster create failed: see $state/cluster-create.log"
    for port in "${ports[@]}"; do wait_for "cluster_state:ok on port $port" 200 cluster_ok "$port"; done
    for port in "${ports[@]}"; do
      if is_replica "$port"; then wait_for "replica $port to sync" 200 link_up "$port"; fi
    done
    for port in "${ports[@]}"; do wait_for "port $port to see every replica" 200 knows_replicas "$port"; done
  else
    wait_for "replica ${ports[1]} to sync" 200 link_up "${ports[1]}"
  fi
  trap - EXIT
  print_info
}

# One command to a node with its arguments on redis-cli's stdin, so a token in them is never on a command line.
cli_stdin() {
  local port=$1
  shift
  printf '%s\n' "$*" | cli "$port"
}

do_rotate_token() {
  [ "$(running_count)" -gt 0 ] || die "no node is running in $state; start it first"
  [ "$(acl_state)" = no ] || die "these nodes run with --acl (iam mode): there is no AUTH token to rotate"
  local port reply current new
  current=$(cat "$state/token")
  if [ "$strategy" = ROTATE ]; then
    IFS= read -r new || true
    # ElastiCache's AUTH token rules: 16-128 printable characters, non-alphanumerics only from !&#$^<>-.
    local token_re='^[A-Za-z0-9!&#$^<>-]{16,128}$'
    [[ $new =~ $token_re ]] ||
      die "the new token (stdin) must be 16 to 128 letters, digits and !&#\$^<>- only"
    [ "$new" != "$current" ] || die "the new token is the current one; ROTATE needs a new token"
    for port in $(node_ports); do
      reply=$(cli_stdin "$port" "ACL SETUSER default >$new") || die "node $port refused the new token"
      [ "$reply" = OK ] || die "node $port answered '$reply' to the new token"
      cli_stdin "$port" "CONFIG SET masterauth $new" >/dev/null || die "node $port refused masterauth"
    done
    # Every node accepts both tokens now: the token file (SSM's role) may name the new one.
    printf '%s\n' "$current" >"$state/token.previous.tmp" && chmod 600 "$state/token.previous.tmp"
    printf '%s\n' "$new" >"$state/token.tmp" && chmod 600 "$state/token.tmp"
    mv "$state/token.previous.tmp" "$state/token.previous"
    mv "$state/token.tmp" "$state/token"
    echo "local-redis: ROTATE done: the new token is current (token file updated); the previous one still works until SET"
  else
    [ -f "$state/token.previous" ] ||
      die "SET is allowed only after a ROTATE (as ElastiCache's authTokenUpdateStrategy); rotate first"
    for port in $(node_ports); do
      reply=$(cli_stdin "$port" "ACL SETUSER default resetpass >$current") || die "node $port refused SET"
      [ "$reply" = OK ] || die "node $port answered '$reply' to SET"
    done
    rm -f "$state/token.previous"
    echo "local-redis: SET done: only the current token works; the previous one is revoked"
  fi
}

on_failed_start() {
  local status=$?
  trap - EXIT
  [ "$status" -eq 0 ] && return 0
  echo "local-redis: start failed; stopping the nodes it started" >&2
  do_stop >&2
  exit "$status"
}

case "$action" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  rotate-token) do_rotate_token ;;
esac
