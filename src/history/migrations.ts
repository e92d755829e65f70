import type { Knex } from 'knex'

interface Migration {
  name: string
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

/**
 * Versioned migrations, kept in code so they run the same from `src/` (tsx) and `dist/`.
 * Never edit a released migration: add the next one.
 */
const migrations: Migration[] = [
  {
    name: '001_runs_results_samples',
    async up(knex) {
      await knex.schema.createTable('runs', (t) => {
        t.string('id', 36).primary()
        t.string('status', 16).notNullable()
        t.string('kind', 16).notNullable().defaultTo('run')
        t.string('git_sha', 64).nullable()
        t.string('branch', 255).nullable()
        t.boolean('dirty').nullable()
        t.string('commit_time', 32).nullable()
        t.text('commit_message').nullable()
        // ISO-8601 UTC text sorts correctly and reads the same on SQLite and PostgreSQL.
        t.string('started_at', 32).notNullable()
        t.string('finished_at', 32).nullable()
        t.string('profile', 64).notNullable()
        t.string('environment_hash', 32).notNullable()
        t.text('fingerprint').notNullable()
        t.string('group_id', 64).nullable()
        t.string('label', 64).nullable()
        t.integer('pid').nullable()
        t.string('hostname', 255).nullable()
        t.text('note').nullable()
        t.index(['branch', 'started_at'])
        t.index(['git_sha'])
        t.index(['status'])
        t.index(['group_id'])
      })
      await knex.schema.createTable('results', (t) => {
        t.increments('id').primary()
        t.string('run_id', 36).notNullable().references('id').inTable('runs').onDelete('CASCADE')
        t.string('plugin', 255).notNullable()
        t.string('benchmark', 255).notNullable()
        t.string('kind', 16).notNullable()
        t.string('unit', 32).notNullable()
        t.string('direction', 8).notNullable()
        t.string('status', 16).notNullable()
        t.text('error').nullable()
        t.integer('n').nullable()
        for (const stat of ['mean', 'median', 'p95', 'p99', 'min', 'max', 'sd']) t.double(stat).nullable()
        t.text('targets').notNullable()
        t.text('rounds').notNullable()
        t.unique(['run_id', 'plugin', 'benchmark'])
        t.index(['plugin', 'benchmark'])
      })
      await knex.schema.createTable('samples', (t) => {
        t.integer('result_id').notNullable().references('id').inTable('results').onDelete('CASCADE')
        t.integer('round').notNullable()
        t.integer('count').notNullable()
        // Float64 little-endian: compact and exact, a blob on SQLite and bytea on PostgreSQL.
        t.binary('values').notNullable()
        t.primary(['result_id', 'round'])
      })
    },
    async down(knex) {
      await knex.schema.dropTable('samples')
      await knex.schema.dropTable('results')
      await knex.schema.dropTable('runs')
    },
  },
  {
    name: '002_acknowledgements_calibrations',
    async up(knex) {
      // `perftrack trend ack`: a change point someone has looked at no longer fails the job.
      await knex.schema.createTable('acknowledgements', (t) => {
        t.increments('id').primary()
        t.string('plugin', 255).notNullable()
        t.string('benchmark', 255).notNullable()
        t.string('branch', 255).nullable()
        t.string('git_sha', 64).nullable()
        t.string('run_id', 36).nullable()
        t.string('change_point_date', 32).nullable()
        t.text('note').nullable()
        t.string('created_at', 32).notNullable()
        t.index(['plugin', 'benchmark'])
      })
      // `perftrack calibrate`: measured A/A noise per metric and environment.
      await knex.schema.createTable('calibrations', (t) => {
        t.increments('id').primary()
        t.string('plugin', 255).notNullable()
        t.string('benchmark', 255).notNullable()
        t.string('environment_hash', 32).notNullable()
        t.string('profile', 64).notNullable()
        t.double('cv').notNullable()
        t.double('ci_half_width').notNullable()
        t.double('threshold').notNullable()
        t.double('minimum_detectable_effect').nullable()
        t.integer('n').notNullable()
        t.string('group_id', 64).nullable()
        t.string('created_at', 32).notNullable()
        t.index(['plugin', 'benchmark', 'environment_hash'])
      })
    },
    async down(knex) {
      await knex.schema.dropTable('calibrations')
      await knex.schema.dropTable('acknowledgements')
    },
  },
  {
    name: '003_run_measure',
    async up(knex) {
      // What a run measured (wall time or instruction counts): queries keep the two apart.
      await knex.schema.alterTable('runs', (t) => {
        t.string('measure', 16).notNullable().defaultTo('time')
        t.index(['measure'])
      })
    },
    async down(knex) {
      await knex.schema.alterTable('runs', (t) => {
        t.dropIndex(['measure'])
        t.dropColumn('measure')
      })
    },
  },
  {
    name: '004_run_machine_load',
    async up(knex) {
      // How busy the machine was while the run measured (core/machine-load.ts), so analyses can
      // tell busy runs apart. NULL: not measured (no /proc, or a run stored before this column).
      await knex.schema.alterTable('runs', (t) => {
        t.double('wait_fraction').nullable()
        t.double('steal_fraction').nullable()
      })
    },
    async down(knex) {
      await knex.schema.alterTable('runs', (t) => {
        t.dropColumn('steal_fraction')
        t.dropColumn('wait_fraction')
      })
    },
  },
]

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
}
