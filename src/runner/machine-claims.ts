/**
 * Claims on the machine by measuring processes that run side by side (a paired compare runs
 * two at a time, one per core). A benchmark claims it shared, or alone: one declared
 * `alone: true` waits until no other process is measuring, and while it measures the other
 * process waits before its next benchmark. The bundled ones so declared (a Redis round trip,
 * operations in flight on SQLite, a load of 100 users) share the two cores with those servers and threads,
 * and a second measuring process was what kept them noisy (README, "Paired in one process");
 * everything else still measures two at a time.
 *
 * Granted first come, first served: a claim to be alone holds back the shared claims that come
 * after it, so it is never starved.
 */
export class MachineClaims {
  #shared = 0
  #alone = false
  readonly #queue: Array<{ alone: boolean; grant: () => void }> = []

  /** Resolves when granted, with the function that gives the claim back (once; more calls do nothing). */
  claim = (alone: boolean): Promise<() => void> =>
    new Promise((resolve) => {
      this.#queue.push({ alone, grant: () => resolve(this.#holding(alone)) })
      this.#pump()
    })

  /** Claims held now, shared and alone (for tests). */
  get held(): { shared: number; alone: boolean } {
    return { shared: this.#shared, alone: this.#alone }
  }

  #holding(alone: boolean): () => void {
    let given = false
    return () => {
      if (given) return
      given = true
      if (alone) this.#alone = false
      else this.#shared--
      this.#pump()
    }
  }

  #pump(): void {
    for (;;) {
      const next = this.#queue[0]
      if (!next || this.#alone || (next.alone && this.#shared > 0)) return
      this.#queue.shift()
      if (next.alone) this.#alone = true
      else this.#shared++
      next.grant()
    }
  }
}
