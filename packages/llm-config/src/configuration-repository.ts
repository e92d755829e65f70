import type { Knex } from 'knex'
import { type Configuration, configurationSchema } from './entities.js'
import { QueryStats } from './query-stats.js'
import { countRows, insertRows } from './table-writes.js'

const table = 'llm_configurations'

interface ConfigurationRow {
  id: string
  interaction_code: string
  template_id: string
  model_code: string
  tier: string | null
  temperature: number
  max_tokens: number
  top_p: number
  is_active: boolean | number
  effective_from: number | string
  effective_until: number | string | null
  created_at: number | string
  updated_at: number | string
}

// PostgreSQL returns bigint as string and SQLite returns booleans as 0/1: normalise here.
function fromRow(row: ConfigurationRow): Configuration {
  return {
    id: row.id,
    interactionCode: row.interaction_code,
    templateId: row.template_id,
    modelCode: row.model_code,
    tier: row.tier,
    temperature: Number(row.temperature),
    maxTokens: Number(row.max_tokens),
    topP: Number(row.top_p),
    isActive: Boolean(row.is_active),
    effectiveFrom: new Date(Number(row.effective_from)),
    effectiveUntil: row.effective_until === null ? null : new Date(Number(row.effective_until)),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  }
}

function toRow(config: Configuration): ConfigurationRow {
  return {
    id: config.id,
    interaction_code: config.interactionCode,
    template_id: config.templateId,
    model_code: config.modelCode,
    tier: config.tier,
    temperature: config.temperature,
    max_tokens: config.maxTokens,
    top_p: config.topP,
    is_active: config.isActive,
    effective_from: config.effectiveFrom.getTime(),
    effective_until: config.effectiveUntil?.getTime() ?? null,
    created_at: config.createdAt.getTime(),
    updated_at: config.updatedAt.getTime(),
  }
}

/** What the configuration service needs from storage; the latency decorator wraps this. */
export interface ConfigurationStore {
  readonly stats: QueryStats
  /**
   * Active configurations of the interaction, effective at `at`, for the tier and for the
   * default (tier null), in one statement; newest first.
   */
  findCandidates(interactionCode: string, tier: string | null, at: Date): Promise<Configuration[]>
}

/** Configurations in the `llm_configurations` table. */
export class ConfigurationRepository implements ConfigurationStore {
  readonly stats = new QueryStats()

  constructor(private readonly knex: Knex) {}

  async findCandidates(interactionCode: string, tier: string | null, at: Date): Promise<Configuration[]> {
    this.stats.record('findCandidates')
    const atMs = at.getTime()
    // One statement for tier and default: the original made two round trips on every fallback.
    const rows: ConfigurationRow[] = await this.knex(table)
      .where('interaction_code', interactionCode)
      .where((q) => (tier === null ? q.whereNull('tier') : q.where('tier', tier).orWhereNull('tier')))
      .where('is_active', true)
      .where('effective_from', '<=', atMs)
      .where((q) => q.whereNull('effective_until').orWhere('effective_until', '>=', atMs))
      .orderBy([
        { column: 'effective_from', order: 'desc' },
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
    return rows.map(fromRow)
  }

  async findById(id: string): Promise<Configuration | undefined> {
    this.stats.record('findById')
    const row: ConfigurationRow | undefined = await this.knex(table).where('id', id).first()
    return row ? fromRow(row) : undefined
  }

  async count(): Promise<number> {
    return countRows(this.knex, table, this.stats)
  }

  /** Validates and inserts; rows are sent in chunks so 10,000 stay within SQLite's variable limit. */
  async insert(configs: Configuration | Configuration[]): Promise<void> {
    const list = Array.isArray(configs) ? configs : [configs]
    const rows = list.map((c) => toRow(configurationSchema.parse(c)))
    await insertRows(this.knex, table, this.stats, rows)
  }

  async update(id: string, changes: Partial<Omit<Configuration, 'id'>>): Promise<void> {
    const current = await this.findById(id)
    if (!current) throw new Error(`Configuration "${id}" does not exist; insert it first.`)
    const next = configurationSchema.parse({ ...current, ...changes, id })
    this.stats.record('update')
    await this.knex(table).where('id', id).update(toRow(next))
  }

  async deleteAll(): Promise<void> {
    this.stats.record('deleteAll')
    await this.knex(table).delete()
  }
}
