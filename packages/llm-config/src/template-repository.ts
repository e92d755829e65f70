import type { Knex } from 'knex'
import { type TemplateMetadata, templateMetadataSchema } from './entities.js'
import { QueryStats } from './query-stats.js'
import { countRows, insertRows } from './table-writes.js'

const table = 'llm_template_metadata'

interface TemplateRow {
  id: string
  template_code: string
  interaction_code: string
  name: string
  description: string
  s3_bucket: string
  s3_key: string
  version: number
  is_active: boolean | number
  required_parameters: string
  created_at: number | string
  updated_at: number | string
}

function fromRow(row: TemplateRow): TemplateMetadata {
  return {
    id: row.id,
    templateCode: row.template_code,
    interactionCode: row.interaction_code,
    name: row.name,
    description: row.description,
    s3Bucket: row.s3_bucket,
    s3Key: row.s3_key,
    version: Number(row.version),
    isActive: Boolean(row.is_active),
    requiredParameters: JSON.parse(row.required_parameters) as string[],
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  }
}

function toRow(t: TemplateMetadata): TemplateRow {
  return {
    id: t.id,
    template_code: t.templateCode,
    interaction_code: t.interactionCode,
    name: t.name,
    description: t.description,
    s3_bucket: t.s3Bucket,
    s3_key: t.s3Key,
    version: t.version,
    is_active: t.isActive,
    required_parameters: JSON.stringify(t.requiredParameters),
    created_at: t.createdAt.getTime(),
    updated_at: t.updatedAt.getTime(),
  }
}

/** What the template service needs from storage; the latency decorator wraps this. */
export interface TemplateMetadataStore {
  readonly stats: QueryStats
  findById(id: string): Promise<TemplateMetadata | undefined>
  /** The highest active version of a template for the interaction. */
  findActiveByInteraction(interactionCode: string): Promise<TemplateMetadata | undefined>
}

/** Template metadata in the `llm_template_metadata` table. */
export class TemplateRepository implements TemplateMetadataStore {
  readonly stats = new QueryStats()

  constructor(private readonly knex: Knex) {}

  async findById(id: string): Promise<TemplateMetadata | undefined> {
    this.stats.record('findById')
    const row: TemplateRow | undefined = await this.knex(table).where('id', id).first()
    return row ? fromRow(row) : undefined
  }

  async findActiveByInteraction(interactionCode: string): Promise<TemplateMetadata | undefined> {
    this.stats.record('findActiveByInteraction')
    const row: TemplateRow | undefined = await this.knex(table)
      .where({ interaction_code: interactionCode, is_active: true })
      .orderBy([
        { column: 'version', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first()
    return row ? fromRow(row) : undefined
  }

  async count(): Promise<number> {
    return countRows(this.knex, table, this.stats)
  }

  async insert(templates: TemplateMetadata | TemplateMetadata[]): Promise<void> {
    const list = Array.isArray(templates) ? templates : [templates]
    const rows = list.map((t) => toRow(templateMetadataSchema.parse(t)))
    await insertRows(this.knex, table, this.stats, rows)
  }

  async deleteAll(): Promise<void> {
    this.stats.record('deleteAll')
    await this.knex(table).delete()
  }
}
