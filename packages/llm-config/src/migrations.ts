import type { Knex } from 'knex'

interface Migration {
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

// Migrations live in code, not in files on disk, so they run the same from src/ (tsx) and dist/.
const migrations: Record<string, Migration> = {
  '001_create_llm_configurations': {
    async up(knex) {
      await knex.schema.createTable('llm_configurations', (t) => {
        t.string('id', 64).primary()
        t.string('interaction_code', 64).notNullable()
        t.string('template_id', 64).notNullable()
        t.string('model_code', 64).notNullable()
        t.string('tier', 32).nullable()
        t.double('temperature').notNullable()
        t.integer('max_tokens').notNullable()
        t.double('top_p').notNullable()
        t.boolean('is_active').notNullable()
        // Epoch milliseconds: compares and round-trips identically on SQLite and PostgreSQL.
        t.bigInteger('effective_from').notNullable()
        t.bigInteger('effective_until').nullable()
        t.bigInteger('created_at').notNullable()
        t.bigInteger('updated_at').notNullable()
        // Serves the resolution query: equality on interaction and tier, range on effective_from.
        t.index(['interaction_code', 'tier', 'effective_from'], 'llm_configurations_resolution_idx')
      })
    },
    async down(knex) {
      await knex.schema.dropTableIfExists('llm_configurations')
    },
  },
  '002_create_llm_template_metadata': {
    async up(knex) {
      await knex.schema.createTable('llm_template_metadata', (t) => {
        t.string('id', 64).primary()
        t.string('template_code', 64).notNullable()
        t.string('interaction_code', 64).notNullable()
        t.string('name', 200).notNullable()
        t.text('description').notNullable()
        t.string('s3_bucket', 63).notNullable()
        t.string('s3_key', 1024).notNullable()
        t.integer('version').notNullable()
        t.boolean('is_active').notNullable()
        t.text('required_parameters').notNullable()
        t.bigInteger('created_at').notNullable()
        t.bigInteger('updated_at').notNullable()
        t.unique(['template_code', 'version'], { indexName: 'llm_template_metadata_code_version_uq' })
        // Serves getActiveTemplateForInteraction.
        t.index(['interaction_code', 'is_active', 'version'], 'llm_template_metadata_interaction_idx')
      })
    },
    async down(knex) {
      await knex.schema.dropTableIfExists('llm_template_metadata')
    },
  },
}

/** A knex migration source backed by the in-code migrations above. */
export const llmMigrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return Object.keys(migrations).sort()
  },
  getMigrationName(name) {
    return name
  },
  async getMigration(name) {
    return migrations[name]
  },
}

/** Own bookkeeping table, so the LLM schema can share a database with other knex users. */
export const llmMigrationTableName = 'llm_knex_migrations'

/** Brings the LLM schema up to date. Idempotent. */
export async function migrateLlmDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({ migrationSource: llmMigrationSource, tableName: llmMigrationTableName })
}
