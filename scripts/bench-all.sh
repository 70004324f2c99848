#!/usr/bin/env bash
# npm run bench: runs every bench:* script in package.json, one after another (benchmarks must not
# compete for the CPU), and fails if any of them failed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  echo "bench: takes no arguments (got: $*); run one benchmark with: npm run bench:<name>" >&2
  exit 2
fi
benches=()
while IFS= read -r name; do benches+=("$name"); done < <(
  node -e 'for (const k of Object.keys(require("./package.json").scripts || {})) if (k.startsWith("bench:")) console.log(k)'
)
if [ ${#benches[@]} -eq 0 ]; then
  echo "bench: no bench:* scripts in package.json" >&2
  exit 1
fi
failed=()
for name in "${benches[@]}"; do
  echo "== npm run $name"
  npm run --silent "$name" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: failed: ${failed[*]}" >&2
  exit 1
fi
