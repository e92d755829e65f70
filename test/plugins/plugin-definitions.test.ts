import path from 'node:path'

import { describe, expect, it } from 'vitest'
import cachePlugin from '../../plugins/cache/index.js'
import configResolution from '../../plugins/config-resolution/index.js'
import templateRendering from '../../plugins/template-rendering/index.js'
import { validatePlugin } from '../../src/core/plugin-schema.js'
import { discoverPluginFiles } from '../../src/runner/plugin-loader.js'
import { repoRoot } from '../helpers/cli.js'
import { shape } from './harness.js'

const lt = (value: number) => [{ stat: 'p95', op: '<', value }]
const medianAbove = (value: number) => [{ stat: 'median', op: '>', value }]

describe('bundled plugins load and carry the seed suite', () => {
  it('are discovered under plugins/ (and the shared helper folder is not)', () => {
    const files = discoverPluginFiles({ cwd: repoRoot, config: { dir: repoRoot } }).map((c) => path.relative(repoRoot, c.file))
    expect(files).toEqual(expect.arrayContaining(['plugins/cache/index.ts', 'plugins/config-resolution/index.ts', 'plugins/template-rendering/index.ts']))
    expect(files.some((f) => f.startsWith('plugins/support'))).toBe(false)
  })

  it.each([
    ['config-resolution', configResolution],
    ['template-rendering', templateRendering],
    ['cache', cachePlugin],
  ])('%s passes plugin validation', (name, plugin) => {
    expect(validatePlugin(plugin, `plugins/${name}/index.ts`).name).toBe(name)
  })

  it('config-resolution has every seed metric with its seed target', () => {
    const s = shape(configResolution)
    expect(s).toMatchObject({
      'cold-resolution': { kind: 'latency', targets: lt(100) },
      'cached-resolution': { kind: 'latency', targets: lt(5) },
      'sequential-throughput': { kind: 'throughput', concurrency: 1, targets: medianAbove(500) },
      'concurrent-throughput': { kind: 'throughput', targets: medianAbove(1000) },
      'cache-hit-rate': { kind: 'value', unit: '%', direction: 'higher', targets: medianAbove(95) },
      'cache-speedup': { kind: 'value', unit: '×', direction: 'higher', targets: medianAbove(10) },
      'tier-fallback': { kind: 'latency', targets: lt(150) },
      'mixed-concurrent': { kind: 'throughput', targets: medianAbove(500) },
      'cache-memory': { kind: 'value', unit: 'MB', direction: 'lower', targets: [{ stat: 'max', op: '<=', value: 16 }] },
    })
    expect(s['concurrent-throughput'].concurrency).toBeGreaterThanOrEqual(10)
    expect(s['mixed-concurrent'].concurrency).toBeGreaterThanOrEqual(4)
    expect(Object.keys(s)).toHaveLength(9)
  })

  it('template-rendering has every seed metric with its seed target', () => {
    const s = shape(templateRendering)
    expect(s).toMatchObject({
      'cold-template-fetch': { kind: 'latency', targets: lt(150) },
      'warm-template-fetch': { kind: 'latency', targets: lt(5) },
      'simple-render': { kind: 'latency', targets: lt(10) },
      'render-throughput': { kind: 'throughput', targets: medianAbove(1000) },
      'concurrent-render-throughput': { kind: 'throughput', targets: medianAbove(2000) },
      's3-call-rate': { kind: 'value', unit: '%', direction: 'lower', targets: [{ stat: 'median', op: '<', value: 5 }] },
      'cache-speedup-vs-s3': { kind: 'value', unit: '×', direction: 'higher', targets: medianAbove(10) },
      'complex-render': { kind: 'latency', targets: lt(20) },
      // Beyond the seed: the rendered-output cache hit, so "render" numbers are not mistaken for it.
      'cached-render': { kind: 'latency', targets: lt(10) },
    })
    expect(s['concurrent-render-throughput'].concurrency).toBeGreaterThanOrEqual(10)
  })

  it('cache covers load, volume, eviction, TTL expiry, distributed cache and memory', () => {
    const s = shape(cachePlugin)
    expect(s).toMatchObject({
      'production-volume-cold': { kind: 'latency' },
      'production-volume-warm': { kind: 'latency' },
      'load-100-users': { kind: 'throughput' },
      'load-100-users-p99': { kind: 'value', unit: 'ms', direction: 'lower' },
      'eviction-hit-rate-10pct': { kind: 'value', unit: '%', direction: 'higher' },
      'eviction-hit-rate-25pct': { kind: 'value', unit: '%', direction: 'higher' },
      'eviction-hit-rate-50pct': { kind: 'value', unit: '%', direction: 'higher' },
      'eviction-memory': { kind: 'value', direction: 'lower', targets: [{ stat: 'max', op: '<=', value: 8192 }] },
      'ttl-expiry': { kind: 'value', direction: 'lower', targets: [{ stat: 'max', op: '<=', value: 1 }] },
      'l2-hit-latency': { kind: 'latency' },
      'cross-instance-hit-rate': { kind: 'value', unit: '%', direction: 'higher' },
      'source-queries-saved': { kind: 'value', direction: 'higher' },
      'bytes-per-cached-configuration': { kind: 'value', unit: 'bytes', direction: 'lower' },
      'bytes-per-rendered-template': { kind: 'value', unit: 'bytes', direction: 'lower' },
    })
    expect(s['load-100-users'].concurrency).toBeGreaterThanOrEqual(100)
  })

  const declared = (flag: (b: { bound?: string; alone?: boolean }) => boolean) =>
    [configResolution, templateRendering, cachePlugin].flatMap((p) =>
      (p.benchmarks as Array<{ name: string; bound?: string; alone?: boolean }>).filter(flag).map((b) => `${p.name}/${b.name}`),
    )

  // bound: 'io' keeps a benchmark out of instruction counts.
  it("declares bound: 'io' on the benchmarks that wait on SQLite, S3, Redis or a mixed load, and on no other", () => {
    const io = declared((b) => b.bound === 'io')
    expect(io.sort()).toEqual(
      [
        'config-resolution/cold-resolution',
        'config-resolution/tier-fallback',
        'config-resolution/mixed-concurrent',
        'template-rendering/cold-template-fetch',
        'cache/production-volume-cold',
        'cache/load-100-users',
        'cache/load-100-users-p99',
        'cache/l2-hit-latency',
      ].sort(),
    )
  })

  // alone: measured while the other process of a compare waits (src/runner/machine-claims.ts):
  // the three whose A/A spread fell by about half or more (README, "Paired in one process").
  it('declares alone on load-100-users, l2-hit-latency and mixed-concurrent only', () => {
    expect(declared((b) => b.alone === true).sort()).toEqual(['cache/l2-hit-latency', 'cache/load-100-users', 'config-resolution/mixed-concurrent'])
  })
})
