import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildStableMemcmp } from '../../src/runner/callgrind-addon.js'
import { callgrindOutEnv, stableMemcmpEnv, stableMemcmpLoaded, withoutPreload } from '../../src/runner/valgrind.js'

const cc = spawnSync('cc', ['--version']).status === 0
const title = `the address-independent memcmp preloaded under callgrind${cc ? '' : ' (skipped: no C compiler; .ci/run installs gcc)'}`

// Run in a real node with the library preloaded: Buffer.compare is libc's memcmp in node
// (node_buffer.cc), so every comparison below goes through the replacement. Seeded inputs:
// lengths 0–40 and every position of a first difference, both signs, bytes ≥ 0x80 (memcmp
// compares unsigned), the bytes after the first difference drawn anew (so a word compared in
// the wrong byte order gives the wrong sign), each buffer at its own offset 0–7 into a larger
// one (unaligned loads).
const script = `
const { readFileSync } = require('node:fs')
let seed = 7
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
const byte = () => Math.floor(next() * 256)
const reference = (a, b) => { for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1; return Math.sign(a.length - b.length) }
let checked = 0, wrong = []
for (let n = 0; n <= 40; n++) for (let at = -1; at < n; at++) for (let offset = 0; offset < 8; offset++) {
  const otherOffset = (offset * 3 + n) % 8
  const a = Buffer.alloc(n + 16).subarray(offset, offset + n), b = Buffer.alloc(n + 16).subarray(otherOffset, otherOffset + n)
  for (let i = 0; i < n; i++) a[i] = b[i] = byte()
  if (at >= 0) {
    b[at] = (a[at] + 1 + Math.floor(next() * 255)) % 256
    for (let i = at + 1; i < n; i++) b[i] = byte()
  }
  for (const [x, y] of [[a, b], [b, a]]) { checked++; if (Buffer.compare(x, y) !== reference(x, y)) wrong.push([n, at, offset]) }
}
const maps = readFileSync('/proc/self/maps', 'utf8')
console.log(JSON.stringify({ checked, wrong: wrong.slice(0, 5), maps }))
`

describe.skipIf(!cc)(title, () => {
  it('orders bytes as memcmp does (unsigned, first difference decides) for every length, difference position and alignment', () => {
    const lib = buildStableMemcmp()
    const out = spawnSync(process.execPath, ['-e', script, lib], { env: { ...process.env, LD_PRELOAD: lib }, encoding: 'utf8' })
    expect(out.status, out.stderr).toBe(0)
    const result = JSON.parse(out.stdout) as { checked: number; wrong: number[][]; maps: string }
    // The check the counted process makes before its first round (measures.ts) sees it loaded here, and not in a process without it.
    expect(stableMemcmpLoaded(lib, result.maps)).toBe(true)
    expect(stableMemcmpLoaded(lib)).toBe(false)
    expect(result.wrong).toEqual([])
    // 41 lengths × (n + 1) difference positions × 8 offsets × both orders.
    expect(result.checked).toBe(2 * 8 * ((41 * 42) / 2))
  })
})

// The counted process's own check (measures.ts), in a real node whose loader was asked to preload
// the library: what it does with one it could not load (it only warns and goes on) and with one it did.
const measuresModule = fileURLToPath(new URL('../../src/runner/measures.ts', import.meta.url))
const roundScript = `
const { measures } = await import(process.argv[1])
try {
  await measures.instructions.throughput.round({ name: 'x', kind: 'throughput', fn: () => 1 }, undefined, { rounds: 1, time: 0, warmupTime: 0, operations: 1 })
  console.log(JSON.stringify({ code: 'none' }))
} catch (error) {
  console.log(JSON.stringify({ code: error.code ?? 'none', message: error.message }))
}
`
function countedRound(library: string): { code: string; message: string; stderr: string } {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-memcmp-refusal-'))
  try {
    const env = { ...process.env, [callgrindOutEnv]: outDir, [stableMemcmpEnv]: library, LD_PRELOAD: library }
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', roundScript, measuresModule], { env, encoding: 'utf8' })
    expect(out.status, out.stderr).toBe(0)
    return { ...(JSON.parse(out.stdout) as { code: string; message: string }), stderr: out.stderr }
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}

describe('a counted process without the address-independent memcmp', () => {
  it('refuses to count (INSTRUCTIONS_UNAVAILABLE) when the loader could not preload it, naming the file', () => {
    const missing = path.join(os.tmpdir(), 'perftrack-no-such-dir', 'stable-memcmp-0000000000000000.so')
    const result = countedRound(missing)
    expect(result.stderr).toMatch(/cannot be preloaded/)
    expect(result.code).toBe('INSTRUCTIONS_UNAVAILABLE')
    expect(result.message).toContain(missing)
  })
  // Past the check, the round builds the Valgrind hooks: that needs cc and Valgrind's headers.
  it.skipIf(!cc || !existsSync('/usr/include/valgrind/callgrind.h'))(
    'goes on to count when it is loaded (and then finds no callgrind outside Valgrind)',
    () => {
      const result = countedRound(buildStableMemcmp())
      expect(result.code).not.toBe('INSTRUCTIONS_UNAVAILABLE')
      expect(result.message).toMatch(/callgrind wrote no dump/)
    },
  )
})

describe('LD_PRELOAD of the counted process', () => {
  it('is handed on to its own children without the address-independent memcmp, and anything else kept', () => {
    const lib = '/tmp/perftrack-native-0/stable-memcmp-0123456789abcdef.so'
    expect(withoutPreload(lib, lib)).toBeUndefined()
    expect(withoutPreload(undefined, lib)).toBeUndefined()
    expect(withoutPreload(`${lib}:/usr/lib/libjemalloc.so`, lib)).toBe('/usr/lib/libjemalloc.so')
    expect(withoutPreload(`/opt/a.so ${lib} /opt/b.so`, lib)).toBe('/opt/a.so:/opt/b.so')
    // Only that file goes, not another build of it or a library of the same name elsewhere.
    expect(withoutPreload('/opt/stable-memcmp-0123456789abcdef.so', lib)).toBe('/opt/stable-memcmp-0123456789abcdef.so')
  })
  it('a library the loader could not preload is not taken for loaded', () => {
    const maps = '7f3a1c000000-7f3a1c001000 r-xp 00001000 fe:01 123 /tmp/perftrack-native-0/stable-memcmp-aaaaaaaaaaaaaaaa.so\n'
    expect(stableMemcmpLoaded('/tmp/perftrack-native-0/stable-memcmp-aaaaaaaaaaaaaaaa.so', maps)).toBe(true)
    expect(stableMemcmpLoaded('/tmp/perftrack-native-0/stable-memcmp-bbbbbbbbbbbbbbbb.so', maps)).toBe(false)
    expect(stableMemcmpLoaded(undefined, maps)).toBe(false)
  })
})
