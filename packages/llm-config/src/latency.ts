import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Wraps `target` so the named methods wait `delays[method]` ms before calling through to
 * the real method. Everything else (e.g. `stats`) passes through untouched. A decorator on
 * the real object, not a mock: the query or request still happens.
 */
export function withLatency<T extends object>(target: T, delays: Partial<Record<keyof T & string, number>>): T {
  const active = Object.entries(delays).filter(([, ms]) => typeof ms === 'number' && ms > 0) as [string, number][]
  if (active.length === 0) return target
  const delayed = new Map(active)
  return new Proxy(target, {
    get(obj, property, receiver) {
      const value = Reflect.get(obj, property, receiver) as unknown
      const ms = typeof property === 'string' ? delayed.get(property) : undefined
      if (ms === undefined || typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        await sleep(ms)
        return (value as (...a: unknown[]) => unknown).apply(obj, args)
      }
    },
  })
}
