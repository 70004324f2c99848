#!/usr/bin/env bash
# CI gate of the real `pulumi preview` (.github/workflows/pull-request.yml): is everything it needs configured?
# Run from the repository root with the candidates in the environment (empty when unset); never prints a value.
#   AWS:    AWS_ROLE_ARN (repository variable: OIDC, the default)
#           or AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (secrets: the static-key fallback)
#   Pulumi: PULUMI_ACCESS_TOKEN (secret: Pulumi Cloud) or PULUMI_BACKEND_URL (variable: s3://, file://, https://...)
#   PULUMI_CONFIG_PASSPHRASE (secret): needed whenever a stack file has `encryptionsalt` (the passphrase secrets
#           provider: every backend needs the passphrase to read its secrets), and on a self-managed backend (not
#           https://), whose new stacks get the passphrase provider.
# Writes `available=true|false` and `aws-auth=oidc|keys|none` to $GITHUB_OUTPUT; on false, one line naming what
# is missing to $GITHUB_STEP_SUMMARY (the offline check ran either way). Exit 0 either way (non-zero only without
# GITHUB_OUTPUT).
set -euo pipefail

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT must name the step output file}"
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

missing=()
if [ -n "${AWS_ROLE_ARN:-}" ]; then
    aws_auth=oidc
elif [ -n "${AWS_ACCESS_KEY_ID:-}" ] && [ -n "${AWS_SECRET_ACCESS_KEY:-}" ]; then
    aws_auth=keys
else
    aws_auth=none
    missing+=("AWS_ROLE_ARN (variable, OIDC) or AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (secrets)")
fi

if [ -z "${PULUMI_ACCESS_TOKEN:-}" ] && [ -z "${PULUMI_BACKEND_URL:-}" ]; then
    missing+=("PULUMI_ACCESS_TOKEN (secret) or PULUMI_BACKEND_URL (variable)")
fi

salted=()
for file in Pulumi.*.yaml; do
    [ -e "$file" ] || continue
    if grep -Eq '^encryptionsalt:' "$file"; then
        salted+=("$file")
    fi
done
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ]; then
    if [ "${#salted[@]}" -gt 0 ]; then
        missing+=("PULUMI_CONFIG_PASSPHRASE (secret: ${salted[*]} encrypted with a passphrase)")
    elif [ -n "${PULUMI_BACKEND_URL:-}" ] && [ "${PULUMI_BACKEND_URL#https://}" = "$PULUMI_BACKEND_URL" ]; then
        missing+=("PULUMI_CONFIG_PASSPHRASE (secret, for a self-managed backend)")
    fi
fi

echo "aws-auth=$aws_auth" >> "$GITHUB_OUTPUT"
if [ "${#missing[@]}" -eq 0 ]; then
    echo "available=true" >> "$GITHUB_OUTPUT"
else
    echo "available=false" >> "$GITHUB_OUTPUT"
    reasons=$(printf '%s; ' "${missing[@]}")
    echo "Skipping the real pulumi preview (the offline check still ran); not configured: ${reasons%; }." >> "$summary"
fi
