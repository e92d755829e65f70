import v8 from 'node:v8'
import vm from 'node:vm'

export const MiB = 1024 * 1024

let collector: (() => void) | undefined | null = null

/**
 * V8's full garbage collection: `global.gc` when node runs with --expose-gc, else exposed at
 * run time (`v8.setFlagsFromString('--expose-gc')` makes new contexts carry `gc`). Undefined
 * when neither works; heap deltas then include garbage and only averages over many entries mean anything.
 */
export function fullGc(): (() => void) | undefined {
  if (collector !== null) return collector
  const exposed = (globalThis as { gc?: () => void }).gc
  if (typeof exposed === 'function') {
    collector = exposed
  } else {
    try {
      v8.setFlagsFromString('--expose-gc')
      const gc = vm.runInNewContext('gc') as unknown
      collector = typeof gc === 'function' ? (gc as () => void) : undefined
    } catch {
      collector = undefined
    }
  }
  return collector
}

/** How heap figures are taken here, for benchmark descriptions and logs. */
export function heapMethod(): string {
  return fullGc()
    ? 'heapUsed after a forced full GC (V8 gc), so only live objects count'
    : 'heapUsed without a forced GC (gc unavailable): includes garbage, an upper bound averaged over many entries'
}

/** `process.memoryUsage().heapUsed` after two full collections (the second catches what finalisers freed). */
export function liveHeap(): number {
  const gc = fullGc()
  if (gc) {
    gc()
    gc()
  }
  return process.memoryUsage().heapUsed
}
