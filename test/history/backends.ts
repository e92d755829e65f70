import path from 'node:path'
import type { HistoryLocation } from '../../src/history/location.js'
import { HistoryStore } from '../../src/history/store.js'
import { tempDir } from '../helpers/cli.js'
import { createTestDatabase, pgUrl } from './pg.js'

/** A fresh, empty history of one kind; `dispose` drops what `make` created. */
export interface Backend {
  name: 'sqlite' | 'postgres'
  available: boolean
  make(): Promise<{ target: HistoryLocation; db: string; dispose: () => Promise<void> }>
}

export const backends: Backend[] = [
  {
    name: 'sqlite',
    available: true,
    async make() {
      const file = path.join(tempDir('perftrack-store-'), 'history.sqlite')
      return { target: { kind: 'sqlite', file, isDefault: false }, db: file, dispose: async () => {} }
    },
  },
  {
    name: 'postgres',
    available: pgUrl !== undefined,
    async make() {
      const created = await createTestDatabase(pgUrl as string)
      return { target: { kind: 'postgres', url: created.url }, db: created.url, dispose: created.drop }
    },
  },
]

/** Opens a fresh history of the backend; close and dispose with the returned function. */
export async function freshStore(backend: Backend): Promise<{ store: HistoryStore; db: string; target: HistoryLocation; done: () => Promise<void> }> {
  const made = await backend.make()
  const store = await HistoryStore.open(made.target)
  return {
    store,
    db: made.db,
    target: made.target,
    done: async () => {
      await store.close()
      await made.dispose()
    },
  }
}
