#!/usr/bin/env bash
# CI's offline policy check (.github/workflows/pull-request.yml, job test-and-offline-check), run from the
# repository root: every stack in ONE redis-stack-check run (start-up shared), planned against the pull request's
# base when BASE_SHA is set (a workflow_dispatch run has none):
#
#   node scripts/redis-stack-check.js --all-stacks --format json --sarif-file sarif/stacks.sarif [--base "$BASE_SHA"]
#
# into reports/stacks.json (`{ "stacks": [<a stack's report or { stack, error }>, ...] }`, what scripts/pr-comment
# reads; one stack's report when the repository has one stack), reports/stacks.err (stderr, also printed) and
# sarif/stacks.sarif (one log, one run per stack with its own category). The run's exit code is the worst
# stack's: 0 no mandatory violation, 1 a mandatory violation or a plan `pulumi up` would refuse, 2 a stack's check
# could not run or would fail at `pulumi up` (that stack's entry says which), or the run itself stopped (a bad flag
# or stack config, --timeout, a signal): then stdout is empty and every stack gets a `{ stack, error }` record with
# the exit code and stderr's first line, as when each stack ran in its own process. Always exits 0: it writes
# OFFLINE_CHECK_STATUS (0, or 1 for any non-zero run) to $GITHUB_ENV, and the job's last step fails on it, after
# the comment and the job summary are written.
set -u
shopt -s nullglob

mkdir -p reports sarif
set -- --all-stacks --format json --sarif-file sarif/stacks.sarif
if [ -n "${BASE_SHA:-}" ]; then
    set -- "$@" --base "$BASE_SHA"
fi
echo "redis-stack-check $*"
code=0
node scripts/redis-stack-check.js "$@" >reports/stacks.json 2>reports/stacks.err || code=$?
cat reports/stacks.err

status=0
case $code in
    0) ;;
    1)
        echo "::error title=Policy check::mandatory policy violations or a plan pulumi up would refuse, see the job summary"
        status=1
        ;;
    *)
        echo "::error title=Policy check::exit $code: a stack's check could not run or found what pulumi up would refuse, or the run stopped; see the log"
        status=1
        ;;
esac

if [ ! -s reports/stacks.json ]; then
    # The stacks as redis-stack-check --all-stacks finds them (project-file.ts listStacks): Pulumi.<stack>.y(a)ml.
    stacks=()
    for file in Pulumi.*.yaml Pulumi.*.yml; do
        stack=${file#Pulumi.}
        stacks+=("${stack%.y*ml}")
    done
    # shellcheck disable=SC2016 # JavaScript, not shell: its template literal is not for the shell to expand.
    node -e '
        const [code, err, ...stacks] = process.argv.slice(1);
        const error = `exit ${code}: ${err.trim().split("\n")[0] || "no message"}`;
        const names = stacks.length > 0 ? stacks : ["(no Pulumi.<stack>.yaml)"];
        process.stdout.write(JSON.stringify({ stacks: names.map((stack) => ({ stack, error })) }, null, 2) + "\n");
    ' "$code" "$(cat reports/stacks.err)" "${stacks[@]}" >reports/stacks.json
    status=1
fi

echo "OFFLINE_CHECK_STATUS=$status" >>"$GITHUB_ENV"
