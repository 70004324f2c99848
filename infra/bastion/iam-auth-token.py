#!/usr/bin/env python3
# ElastiCache IAM auth token: a SigV4 presigned `GET http://<cache>/?Action=connect&User=<user>` (service
# elasticache, 15 minutes), without its "http://" (AWS docs, auth-iam "Connecting"). Python 3's standard
# library only: AL2023 ships python3, but botocore only inside the AWS CLI's own bundle. The SigV4 steps follow
# https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (query-string authentication);
# test/bastion/iam-auth-token.test.ts checks them against AWS's published examples and @smithy/signature-v4.
# Input comes from the environment only (never argv, which ps shows): IAM_TOKEN_CACHE_NAME, IAM_TOKEN_USER,
# IAM_TOKEN_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional), IAM_TOKEN_DATE
# (optional, YYYYMMDDTHHMMSSZ, for tests); without AWS_ACCESS_KEY_ID, the credentials are read from stdin as the
# instance metadata service serves a role's (JSON with AccessKeyId, SecretAccessKey, Token). Prints the token.
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.parse

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def quote(value):
    # RFC 3986 unreserved characters stay, everything else is %XX (upper-case hex), as SigV4 requires.
    return urllib.parse.quote(value, safe="-_.~")


def signing_key(secret, date, region, service):
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def presign(method, host, path, params, region, service, key_id, secret, session, amz_date, expires,
            payload_hash=EMPTY_SHA256):
    # The presigned URL's query string (without the host and path), X-Amz-Signature last.
    scope = "/".join((amz_date[:8], region, service, "aws4_request"))
    query = dict(params, **{"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": key_id + "/" + scope,
                            "X-Amz-Date": amz_date, "X-Amz-Expires": str(expires), "X-Amz-SignedHeaders": "host"})
    if session:
        query["X-Amz-Security-Token"] = session
    canonical_query = "&".join(quote(k) + "=" + quote(v) for k, v in sorted(query.items()))
    request = "\n".join((method, path, canonical_query, "host:" + host, "", "host", payload_hash))
    to_sign = "\n".join(("AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(request.encode()).hexdigest()))
    key = signing_key(secret, amz_date[:8], region, service)
    return canonical_query + "&X-Amz-Signature=" + hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def main():
    env = os.environ
    key_id, secret, session = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN")
    try:
        if not key_id:
            creds = json.load(sys.stdin)
            key_id, secret, session = creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("Token")
        cache, user, region = (env[k] for k in ("IAM_TOKEN_CACHE_NAME", "IAM_TOKEN_USER", "IAM_TOKEN_REGION"))
        assert key_id and secret and cache and user and region
    except (ValueError, KeyError, TypeError, AssertionError):
        sys.stderr.write("iam-auth-token: needs IAM_TOKEN_CACHE_NAME, IAM_TOKEN_USER, IAM_TOKEN_REGION and credentials\n")
        return 2
    amz_date = env.get("IAM_TOKEN_DATE") or datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    # The Host signed is the cache name as ElastiCache knows it: lower case (replication group IDs are).
    cache = cache.lower()
    query = presign("GET", cache, "/", {"Action": "connect", "User": user}, region, "elasticache", key_id, secret,
                    session, amz_date, 900)
    print(cache + "/?" + query)
    return 0


if __name__ == "__main__":
    sys.exit(main())
