#!/usr/bin/env bash
# Installs a perftrack tarball into a new npm project and reports what a user pays:
# packages, node_modules size, install time, and the first `perftrack run --quick` of one
# small plugin. Usage: bash scripts/measure-install.sh perftrack-0.1.0.tgz
# (The README's numbers were taken as `nice -n 10 taskset -c 0 bash scripts/measure-install.sh …`,
# with a warm npm cache; sqlite3 compiles from source in every install.)
set -euo pipefail
tarball=$(realpath "$1")
dir=$(mktemp -d /tmp/perftrack-measure-XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
npm init -y >/dev/null
npm pkg set type=module
start=$(date +%s.%N)
npm install --no-audit --no-fund "$tarball" >/dev/null 2>&1
end=$(date +%s.%N)
packages=$(npm ls --all --parseable 2>/dev/null | tail -n +2 | sort -u | wc -l)
size=$(du -sm node_modules | cut -f1)
mkdir -p perf/codec
cat >perf/codec/index.ts <<'EOF'
import { definePlugin } from 'perftrack'

const sample = Array.from({ length: 200 }, (_, i) => i * 7919)

export default definePlugin({
  name: 'codec',
  benchmarks: [{ name: 'encode', kind: 'latency', fn: () => void sample.map((v) => v.toString(36)).join(',') }],
})
EOF
run_start=$(date +%s.%N)
npx --no-install perftrack run --quick --no-baseline --plugin-path perf/codec >/dev/null 2>"$dir/run.err" || { cat "$dir/run.err"; exit 1; }
run_end=$(date +%s.%N)
warnings=$(grep -ci 'warn' "$dir/run.err" || true)
printf '%s: %s packages, %s MB node_modules, install %.1f s, first run --quick %.1f s, %s warning line(s) on stderr\n' \
  "$(basename "$tarball")" "$packages" "$size" "$(echo "$end - $start" | bc)" "$(echo "$run_end - $run_start" | bc)" "$warnings"
