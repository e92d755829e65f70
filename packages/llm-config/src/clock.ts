/** Milliseconds since the epoch. Injected so tests can move time without waiting. */
export type Clock = () => number

export const systemClock: Clock = () => Date.now()

/**
 * A clock that stands still at `at`: nothing cached expires while it is in use. For measuring
 * instruction counts under a CPU simulator, where an operation runs tens of times slower and
 * TTLs read on the wall clock would expire depending on the machine's speed and load.
 */
export function frozenClock(at: number = Date.now()): Clock {
  return () => at
}
