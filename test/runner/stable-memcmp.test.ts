import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { buildStableMemcmp } from '../../src/runner/callgrind-addon.js'
import { withoutStableMemcmp } from '../../src/runner/valgrind.js'

const cc = spawnSync('cc', ['--version']).status === 0
const title = `the address-independent memcmp preloaded under callgrind${cc ? '' : ' (skipped: no C compiler; .ci/run installs gcc)'}`

// Run in a real node with the library preloaded: Buffer.compare is libc's memcmp in node
// (node_buffer.cc), so every comparison below goes through the replacement. Seeded inputs:
// lengths 0–40 and every position of a first difference, both signs, bytes ≥ 0x80 (memcmp
// compares unsigned), at offsets 0–7 into a larger buffer (unaligned loads).
const script = `
const { readFileSync } = require('node:fs')
let seed = 7
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
const byte = () => Math.floor(next() * 256)
const reference = (a, b) => { for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1; return Math.sign(a.length - b.length) }
let checked = 0, wrong = []
for (let n = 0; n <= 40; n++) for (let at = -1; at < n; at++) for (let offset = 0; offset < 8; offset++) {
  const big = Buffer.alloc(n + 16), other = Buffer.alloc(n + 16)
  for (let i = 0; i < big.length; i++) big[i] = other[i] = byte()
  if (at >= 0) other[offset + at] = (big[offset + at] + 1 + Math.floor(next() * 255)) % 256
  const a = big.subarray(offset, offset + n), b = other.subarray(offset, offset + n)
  for (const [x, y] of [[a, b], [b, a]]) { checked++; if (Buffer.compare(x, y) !== reference(x, y)) wrong.push([n, at, offset]) }
}
const maps = readFileSync('/proc/self/maps', 'utf8')
console.log(JSON.stringify({ checked, wrong: wrong.slice(0, 5), preloaded: maps.includes(process.argv[1]) }))
`

describe.skipIf(!cc)(title, () => {
  it('orders bytes as memcmp does (unsigned, first difference decides) for every length, difference position and alignment', () => {
    const lib = buildStableMemcmp()
    const out = spawnSync(process.execPath, ['-e', script, lib], { env: { ...process.env, LD_PRELOAD: lib }, encoding: 'utf8' })
    expect(out.status, out.stderr).toBe(0)
    const result = JSON.parse(out.stdout) as { checked: number; wrong: number[][]; preloaded: boolean }
    expect(result.preloaded).toBe(true)
    expect(result.wrong).toEqual([])
    // 41 lengths × (n + 1) difference positions × 8 offsets × both orders.
    expect(result.checked).toBe(2 * 8 * ((41 * 42) / 2))
  })
})

describe('LD_PRELOAD of the counted process', () => {
  it('is handed on to its own children without the address-independent memcmp, and anything else kept', () => {
    const lib = '/tmp/perftrack-callgrind/stable-memcmp-0123456789abcdef.so'
    expect(withoutStableMemcmp(lib)).toBeUndefined()
    expect(withoutStableMemcmp(undefined)).toBeUndefined()
    expect(withoutStableMemcmp(`${lib}:/usr/lib/libjemalloc.so`)).toBe('/usr/lib/libjemalloc.so')
    expect(withoutStableMemcmp(`/opt/a.so ${lib} /opt/b.so`)).toBe('/opt/a.so:/opt/b.so')
    // Only perftrack's own file goes, not a library whose name merely contains the word.
    expect(withoutStableMemcmp('/opt/my-stable-memcmp.so')).toBe('/opt/my-stable-memcmp.so')
  })
})
