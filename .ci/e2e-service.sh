#!/usr/bin/env bash
# perftrack in someone else's service, as a user gets it: `npm pack`, the tarball installed
# into a scratch project (npm, then pnpm from the npm registry) that has its own unrelated
# plugins/ folder, a perftrack plugin in perf/ and two commits; then init (on a copy), run
# --quick and compare HEAD~1..HEAD. Every check reads the JSON perftrack prints.
# Usage: bash .ci/e2e-service.sh   (from anywhere; needs the npm registry)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/perftrack-e2e-XXXXXX)
trap 'rm -rf "$work"' EXIT
log() { printf '\n--- e2e: %s\n' "$*"; }
check() { node -e "$1" "${@:2}"; }

log "pack"
(cd "$repo" && npm pack --pack-destination "$work" --silent >/dev/null)
tarball=$(ls "$work"/perftrack-*.tgz)
tar tzf "$tarball" >"$work/files.txt"
grep -qx 'package/LICENSE' "$work/files.txt" || { echo "tarball has no LICENSE"; exit 1; }
if grep -E '^package/dist/llm/|\.map$' "$work/files.txt"; then echo "tarball ships dist/llm or source maps (above)"; exit 1; fi
echo "tarball $(basename "$tarball"): $(wc -l <"$work/files.txt") files, LICENSE, no dist/llm, no source maps"

# A service: its own Nuxt-style plugins/ (importing it outside Nuxt would throw), its code in
# src/, a perftrack plugin in perf/; commit 2 makes the encoder's output longer.
make_service() {
  local dir=$1
  mkdir -p "$dir/src" "$dir/plugins/auth" "$dir/perf/codec" "$dir/perf/history"
  cat >"$dir/src/codec.ts" <<'EOF'
export function encode(values: number[]): string {
  return values.map((v) => v.toString(36)).join(',')
}
EOF
  cat >"$dir/plugins/auth/index.ts" <<'EOF'
// The service's own framework plugin, not perftrack's: defineNuxtPlugin exists only inside Nuxt.
export default defineNuxtPlugin(() => ({ provide: { user: null } }))
EOF
  cat >"$dir/perf/codec/index.ts" <<'EOF'
import { definePlugin } from 'perftrack'

import { encode } from '../../src/codec.js'

const sample = Array.from({ length: 200 }, (_, i) => (i * 7919) % 10007)

export default definePlugin({
  name: 'codec',
  benchmarks: [
    { name: 'encode', kind: 'latency', fn: () => void encode(sample), targets: [{ stat: 'p95', op: '<', value: 50 }] },
    { name: 'output-size', kind: 'value', unit: 'bytes', direction: 'lower', measure: () => encode(sample).length },
  ],
})
EOF
  cat >"$dir/perftrack.config.ts" <<'EOF'
export default { pluginDirs: ['perf'], db: 'perf/history/perftrack.sqlite' }
EOF
  printf '*\n!.gitignore\n' >"$dir/perf/history/.gitignore"
  printf 'node_modules/\n.perftrack/\n' >"$dir/.gitignore"
}

commit_twice() {
  local dir=$1
  git -C "$dir" init -q -b main
  git -C "$dir" -c user.email=e2e@example.com -c user.name=e2e add -A
  git -C "$dir" -c user.email=e2e@example.com -c user.name=e2e commit -qm "service with a perftrack plugin"
  sed -i 's/toString(36)/toString(16)/' "$dir/src/codec.ts"
  git -C "$dir" -c user.email=e2e@example.com -c user.name=e2e commit -qam "hex: longer output"
}

# Runs perftrack in a project; $1 is how that project runs its binaries.
scenario() {
  local name=$1 dir=$2; shift 2
  local exec=("$@")

  log "$name: perftrack's own dependencies carry none of the LLM system's libraries"
  check '
    const pkg = require(process.argv[1] + "/node_modules/perftrack/package.json")
    const demo = ["@aws-sdk/client-s3", "s3rver", "ioredis", "handlebars", "lru-cache"]
    const bad = demo.filter((d) => d in (pkg.dependencies ?? {}))
    const fs = require("fs")
    const present = ["s3rver", "ioredis", "handlebars", "@aws-sdk/client-s3"].filter((d) => fs.existsSync(process.argv[1] + "/node_modules/" + d) || fs.existsSync(process.argv[1] + "/node_modules/.pnpm/node_modules/" + d))
    if (bad.length || present.length) { console.error("still shipped:", bad, present); process.exit(1) }
    console.log("perftrack dependencies:", Object.keys(pkg.dependencies).join(", "))
  ' "$dir"

  log "$name: run --quick (perf/ only; plugins/auth is never imported)"
  (cd "$dir" && "${exec[@]}" perftrack run --quick --no-baseline --json >"$work/$name-run.json")
  check '
    const out = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    const names = out.results.map((r) => r.plugin + "/" + r.benchmark).sort().join(" ")
    const size = out.results.find((r) => r.benchmark === "output-size")
    const ok = out.run.status === "complete" && names === "codec/encode codec/output-size" && out.results.every((r) => r.status === "completed" && r.stats.n > 0) && size.stats.median > 0
    if (!ok) { console.error("unexpected run JSON", JSON.stringify(out).slice(0, 1500)); process.exit(1) }
    console.log("run", out.run.id, out.run.status, names)
  ' "$work/$name-run.json"
  test -s "$dir/perf/history/perftrack.sqlite"
  [ -z "$(git -C "$dir" status --porcelain)" ] || { git -C "$dir" status --porcelain; echo "the run left files git does not ignore"; exit 1; }

  log "$name: compare HEAD~1..HEAD (the main checkout's node_modules linked into the worktree)"
  (cd "$dir" && "${exec[@]}" perftrack compare HEAD~1..HEAD --processes 2 --rounds 1 --time 20 --fail-on none --json >"$work/$name-compare.json" 2>"$work/$name-compare.err") || { cat "$work/$name-compare.err"; exit 1; }
  grep -q 'dependencies: linked' "$work/$name-compare.err" || { cat "$work/$name-compare.err"; echo "worktree dependencies were not linked"; exit 1; }
  check '
    const out = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    const [base, head] = [process.argv[2], process.argv[3]]
    const size = out.comparisons.find((c) => c.benchmark === "output-size")
    const encode = out.comparisons.find((c) => c.benchmark === "encode")
    // base36 against base16 of the same 200 numbers: the output grows, deterministically.
    const ok = out.base.sha === base && out.head.sha === head && encode && size && size.current > size.baseline && size.change > 0
    if (!ok) { console.error("unexpected compare JSON", JSON.stringify(out).slice(0, 2000)); process.exit(1) }
    console.log("compare", base.slice(0, 8), "..", head.slice(0, 8), "output-size", size.baseline, "->", size.current, size.verdict)
  ' "$work/$name-compare.json" "$(git -C "$dir" rev-parse HEAD~1)" "$(git -C "$dir" rev-parse HEAD)"

  log "$name: without pluginDirs the default folders are scanned; plugins/auth is named and skipped, not an error"
  local bare="$work/$name-bare"
  mkdir -p "$bare" && cp -r "$dir/src" "$dir/perf" "$dir/plugins" "$dir/package.json" "$bare/" && ln -s "$dir/node_modules" "$bare/node_modules"
  (cd "$bare" && "${exec[@]}" perftrack plugins --json >"$work/$name-plugins.json" 2>"$work/$name-plugins.err")
  grep -q "plugins/auth/index.ts is not a perftrack plugin" "$work/$name-plugins.err" && grep -q "pluginDirs" "$work/$name-plugins.err" || { cat "$work/$name-plugins.err"; exit 1; }
  check '
    const out = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    if (out.plugins.map((p) => p.name).join() !== "codec" || out.errors.length || out.skipped.length !== 1) { console.error(JSON.stringify(out)); process.exit(1) }
    console.log("plugins: codec; skipped:", out.skipped[0].file)
  ' "$work/$name-plugins.json"

  log "$name: init refuses to overwrite, then sets up a copy without perftrack's files"
  set +e
  (cd "$dir" && "${exec[@]}" perftrack init >/dev/null 2>"$work/$name-init-refused.err")
  local code=$?
  set -e
  [ "$code" = 2 ] && grep -q "perftrack.config.ts" "$work/$name-init-refused.err" || { echo "init over existing files: exit $code"; cat "$work/$name-init-refused.err"; exit 1; }
  local copy="$work/$name-init"
  mkdir -p "$copy" && cp -r "$dir/src" "$dir/plugins" "$dir/package.json" "$copy/" && ln -s "$dir/node_modules" "$copy/node_modules"
  cp "$dir"/*lock* "$copy/" 2>/dev/null || true
  (cd "$copy" && "${exec[@]}" perftrack init --json >"$work/$name-init.json")
  (cd "$copy" && "${exec[@]}" perftrack run --quick --no-baseline --json >"$work/$name-init-run.json")
  check '
    const fs = require("fs"), path = require("path")
    const [initFile, runFile, dir, manager] = process.argv.slice(1)
    const init = JSON.parse(fs.readFileSync(initFile, "utf8"))
    const run = JSON.parse(fs.readFileSync(runFile, "utf8"))
    const want = ["perftrack.config.ts", "perf/example/index.ts", "perf/history/.gitignore", ".github/workflows/perftrack-pr.yml", ".github/workflows/perftrack-nightly.yml"]
    const missing = want.filter((f) => !init.written.includes(f) || !fs.existsSync(path.join(dir, f)))
    const pr = fs.readFileSync(path.join(dir, ".github/workflows/perftrack-pr.yml"), "utf8")
    const ok = missing.length === 0 && init.packageManager === manager && pr.includes(manager === "pnpm" ? "pnpm exec perftrack compare" : "npx perftrack compare") &&
      run.run.status === "complete" && run.results.length === 1 && run.results[0].plugin === "example" && run.results[0].status === "completed"
    if (!ok) { console.error("init", JSON.stringify(init), "missing", missing, "run", JSON.stringify(run).slice(0, 1000)); process.exit(1) }
    console.log("init wrote", init.written.length, "files for", manager, "; its example plugin ran:", run.results[0].benchmark)
  ' "$work/$name-init.json" "$work/$name-init-run.json" "$copy" "$name"
}

log "npm: a new project installs the tarball"
npm_dir="$work/npm-service"
make_service "$npm_dir"
(cd "$npm_dir" && npm init -y >/dev/null && npm pkg set type=module && npm install --no-audit --no-fund "$tarball" >/dev/null)
commit_twice "$npm_dir"
scenario npm "$npm_dir" npx --no-install

log "pnpm (from the npm registry)"
npm install --prefix "$work/pnpm-cli" --no-audit --no-fund pnpm@10 >/dev/null
pnpm="$work/pnpm-cli/node_modules/.bin/pnpm"
pnpm_dir="$work/pnpm-service"
make_service "$pnpm_dir"
cat >"$pnpm_dir/package.json" <<'EOF'
{ "name": "pnpm-service", "version": "1.0.0", "private": true, "type": "module" }
EOF
(cd "$pnpm_dir" && "$pnpm" add "$tarball" >"$work/pnpm-add.log" 2>&1) || { cat "$work/pnpm-add.log"; exit 1; }

log "pnpm: sqlite3's build was blocked (pnpm 10's default): one clear error, exit 2"
set +e
(cd "$pnpm_dir" && "$pnpm" exec perftrack run --quick --no-baseline >/dev/null 2>"$work/pnpm-blocked.err")
code=$?
set -e
lines=$(wc -l <"$work/pnpm-blocked.err")
if [ "$code" != 2 ] || ! grep -q "onlyBuiltDependencies" "$work/pnpm-blocked.err" || ! grep -q "npm rebuild sqlite3" "$work/pnpm-blocked.err" || [ "$lines" -gt 20 ]; then
  echo "blocked sqlite3 build: exit $code, $lines lines"; cat "$work/pnpm-blocked.err"; exit 1
fi
echo "exit 2, $lines lines, names onlyBuiltDependencies and npm rebuild"

log "pnpm: allow sqlite3's build as the error says"
node -e '
  const fs = require("fs"); const f = process.argv[1] + "/package.json"
  const p = JSON.parse(fs.readFileSync(f, "utf8")); p.pnpm = { onlyBuiltDependencies: ["sqlite3"] }
  fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n")
' "$pnpm_dir"
(cd "$pnpm_dir" && "$pnpm" rebuild sqlite3 >"$work/pnpm-rebuild.log" 2>&1) || { cat "$work/pnpm-rebuild.log"; exit 1; }
commit_twice "$pnpm_dir"
scenario pnpm "$pnpm_dir" "$pnpm" exec

echo
echo "e2e: perftrack in a service: npm and pnpm passed"
