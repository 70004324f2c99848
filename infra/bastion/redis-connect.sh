#!/bin/bash
# redis-connect: starts `redis-cli --tls -c -h <host> -p <port>` against the cache, reading the endpoint
# ("<host>:<port>") from SSM Parameter Store at run time. Token mode: the AUTH token comes from SSM too.
# IAM mode: a 15-minute IAM auth token is signed here with the instance role's credentials (iam-auth-token.py,
# Python's standard library) for the cache name in SSM, and redis-cli authenticates as the user with --user.
# Either secret reaches redis-cli only through REDISCLI_AUTH in its environment: never on a command line (ps
# shows those), never in user-data. Arguments are passed through: `redis-connect PING`, `redis-connect --cacert
# ca.pem`. The renderer (infra/bastion/user-data.ts) assigns the settings right after the shebang.
# Overrides: REDIS_CONNECT_ENDPOINT_PARAMETER, REDIS_CONNECT_AUTH_PARAMETER, REDIS_CONNECT_CACHE_NAME_PARAMETER
# (parameter names), REDIS_CONNECT_AUTH_MODE (token|iam), REDIS_CONNECT_USER (the IAM user),
# REDIS_CONNECT_IMDS_URL (instance metadata base URL, for tests).
set -euo pipefail

die() { printf 'redis-connect: %s\n' "$*" >&2; exit 1; }

endpoint_parameter=${REDIS_CONNECT_ENDPOINT_PARAMETER:-${DEFAULT_ENDPOINT_PARAMETER:-}}
auth_mode=${REDIS_CONNECT_AUTH_MODE:-${DEFAULT_AUTH_MODE:-token}}
imds=${REDIS_CONNECT_IMDS_URL:-http://169.254.169.254}
[ -n "$endpoint_parameter" ] || die "no endpoint parameter name; set REDIS_CONNECT_ENDPOINT_PARAMETER"
case $auth_mode in
  token)
    auth_parameter=${REDIS_CONNECT_AUTH_PARAMETER:-${DEFAULT_AUTH_PARAMETER:-}}
    [ -n "$auth_parameter" ] || die "no AUTH token parameter name; set REDIS_CONNECT_AUTH_PARAMETER"
    ;;
  iam)
    cache_parameter=${REDIS_CONNECT_CACHE_NAME_PARAMETER:-${DEFAULT_CACHE_NAME_PARAMETER:-}}
    user=${REDIS_CONNECT_USER:-${DEFAULT_USER:-}}
    [ -n "$cache_parameter" ] || die "no cache name parameter name; set REDIS_CONNECT_CACHE_NAME_PARAMETER"
    [[ $user =~ ^[a-z][a-z0-9-]*$ ]] || die "no valid IAM user '$user'; set REDIS_CONNECT_USER"
    [ -n "${IAM_AUTH_TOKEN_SIGNER:-}" ] || die "the IAM token signer is missing from this script (render it with user-data.ts)"
    command -v python3 >/dev/null 2>&1 || die "python3 is not on PATH; it signs the IAM auth token"
    ;;
  *) die "auth mode '$auth_mode' is neither token nor iam (REDIS_CONNECT_AUTH_MODE)" ;;
esac

# The redis-cli installed next to this script is the TLS build (a distribution's may lack TLS).
cli="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/redis-cli"
[ -x "$cli" ] || die "$cli is missing; see /var/log/redis-cli-install.log"
command -v aws >/dev/null 2>&1 || die "the aws CLI is not on PATH"

# IMDSv2 only (the instance requires tokens). The session token goes to curl on stdin, not in its argv.
imds_token=$(curl --silent --show-error --fail --connect-timeout 2 --max-time 5 --retry 2 \
  -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/latest/api/token") ||
  die "no IMDSv2 token from $imds (not on EC2, or the metadata service is disabled)"
imds_get() {
  printf 'X-aws-ec2-metadata-token: %s\n' "$imds_token" |
    curl --silent --show-error --fail --connect-timeout 2 --max-time 5 --retry 2 -H @- "$imds/latest/meta-data/$1"
}
region=$(imds_get placement/region) || die "could not read the region from $imds"
[[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "instance metadata returned an invalid region '$region'"

export AWS_PAGER=""
endpoint=$(aws ssm get-parameter --region "$region" --name "$endpoint_parameter" \
  --query Parameter.Value --output text) ||
  die "could not read SSM parameter $endpoint_parameter in $region (needs ssm:GetParameter)"
host=${endpoint%:*}
port=${endpoint##*:}
if [[ $endpoint != *:* || ! $host =~ ^[A-Za-z0-9.-]+$ || ! $port =~ ^[0-9]{1,5}$ ]] || ((10#$port < 1 || 10#$port > 65535)); then
  die "SSM parameter $endpoint_parameter is '$endpoint'; expected <host>:<port>, e.g. master.example.cache.amazonaws.com:6379"
fi

if [ "$auth_mode" = token ]; then
  auth=$(aws ssm get-parameter --region "$region" --name "$auth_parameter" --with-decryption \
    --query Parameter.Value --output text) ||
    die "could not read SSM parameter $auth_parameter in $region (needs ssm:GetParameter, kms:Decrypt)"
  [ -n "$auth" ] || die "SSM parameter $auth_parameter is empty"
  REDISCLI_AUTH=$auth
  export REDISCLI_AUTH
  exec "$cli" --tls -c -h "$host" -p "$port" "$@"
fi

cache_name=$(aws ssm get-parameter --region "$region" --name "$cache_parameter" \
  --query Parameter.Value --output text) ||
  die "could not read SSM parameter $cache_parameter in $region (needs ssm:GetParameter)"
[[ $cache_name =~ ^[A-Za-z][A-Za-z0-9-]*$ ]] || die "SSM parameter $cache_parameter is '$cache_name'; expected a replication group ID"
role=$(imds_get iam/security-credentials/) || die "no IAM role on this instance (instance profile missing?)"
role=${role%%$'\n'*}
[[ $role =~ ^[A-Za-z0-9+=,.@_-]+$ ]] || die "instance metadata returned an invalid role name '$role'"
# The role's credentials go from curl to the signer through a pipe: never in argv, never in a file.
auth=$(imds_get "iam/security-credentials/$role" |
  IAM_TOKEN_CACHE_NAME=$cache_name IAM_TOKEN_USER=$user IAM_TOKEN_REGION=$region \
    AWS_ACCESS_KEY_ID='' python3 -c "$IAM_AUTH_TOKEN_SIGNER") ||
  die "could not sign an IAM auth token with the role $role's credentials"
REDISCLI_AUTH=$auth
export REDISCLI_AUTH
exec "$cli" --tls -c --user "$user" -h "$host" -p "$port" "$@"
