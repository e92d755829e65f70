import { readFileSync } from 'node:fs'

import { afterEach, describe, expect, it } from 'vitest'

import { loadNotRecorded } from '../../src/core/machine-load.js'
import { exportHistory, importHistory, readHistoryFile } from '../../src/history/transfer.js'
import { fixture } from '../helpers/cli.js'
import { backends, freshStore } from './backends.js'

/**
 * The history file format is public: a file written by an earlier perftrack must import, and
 * export again to the same document. test/fixtures/history-file/v1.json is such a file, frozen:
 * an old fingerprint (no measure, no budget), a statistic an old history held as NULL (sd: null),
 * an errored and a skipped result, sketched samples and an acknowledgement.
 */
const file = fixture('history-file', 'v1.json')
const written = JSON.parse(readFileSync(file, 'utf8'))

describe.each(backends)('a version-1 history file on $name', (backend) => {
  describe.runIf(backend.available)('(server available)', () => {
    const cleanups: Array<() => Promise<void>> = []
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()?.()
    })

    it('imports, and exports again to the same runs, results, samples and acknowledgements', async () => {
      const fresh = await freshStore(backend)
      cleanups.push(fresh.done)
      const outcome = await importHistory(fresh.store, readHistoryFile(file))
      expect(outcome).toEqual({ runs: { imported: 1, skipped: 0 }, results: 4, samples: 3, acknowledgements: { imported: 1, skipped: 0 } })
      // Through JSON as `history export` writes it: a NaN statistic is null there.
      const again = JSON.parse(JSON.stringify(await exportHistory(fresh.store)))
      // A file from before the machine load was recorded imports as "not recorded" and exports so,
      // everything else the same.
      expect(again.runs.map((r: { load: unknown }) => r.load)).toEqual(written.runs.map(() => loadNotRecorded))
      const withoutLoad = { ...again, exportedAt: written.exportedAt, runs: again.runs.map(({ load: _, ...r }: { load: unknown }) => r) }
      expect(withoutLoad).toEqual(written)
      expect(again.runs[0].results[1].stats.sd).toBeNull()
    })
  })
})
