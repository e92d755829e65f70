/**
 * A round's raw samples as stored: Float64 little-endian bytes, compact and exact, a blob on
 * SQLite and bytea on PostgreSQL (history/migrations.ts). The only place that knows the layout.
 */
export function encodeSamples(values: readonly number[]): Buffer {
  return Buffer.from(Float64Array.from(values).buffer)
}

export function decodeSamples(value: unknown): number[] {
  // A copy: the driver's Buffer may be a view into a larger pool, at an offset Float64Array cannot start at.
  const copy = new Uint8Array(value as Buffer).slice().buffer
  return Array.from(new Float64Array(copy))
}

/** One round's samples of one result: `count` raw samples, kept as `values` (all of them, or evenly spaced order statistics). */
export interface SampleRound {
  round: number
  count: number
  values: number[]
}

export function sampleRoundFromRow(row: Record<string, unknown>): SampleRound {
  return { round: Number(row.round), count: Number(row.count), values: decodeSamples(row.values) }
}

export function sampleRoundToRow(resultId: number, s: SampleRound): Record<string, unknown> {
  return { result_id: resultId, round: s.round, count: s.count, values: encodeSamples(s.values) }
}
