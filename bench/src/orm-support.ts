/**
 * Shared pieces of the ORM benchmarks: the `bench_orm_*` models (their own
 * MetaData, created by the suites that need them and dropped in teardown),
 * a statement counter over `engine.events`, and raw-driver helpers.
 */
import { type AsyncEngine, Integer, MetaData, Model, Text, column, hasMany, insert } from '@retort/core'
import type sqlite3 from 'sqlite3'
import { type Backend, SEED_ROWS, itemColumns, itemRow } from './backends.js'

export const ormMetadata = new MetaData()

export class OrmOrder extends Model('bench_orm_orders', {
  id: column(Integer, { primaryKey: true }),
  userId: column(Integer, { foreignKey: 'bench_orm_users.id', name: 'user_id', nullable: false }),
  total: column(Integer, { nullable: false }),
  note: column(Text, { nullable: false }),
}, { metadata: ormMetadata }) {}

export class OrmUser extends Model('bench_orm_users', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
  email: column(Text, { nullable: false }),
  orders: hasMany(() => OrmOrder, { backref: 'user' }),
}, { metadata: ormMetadata }) {}

/** The table the update benchmark changes (1k rows, seeded by it). */
export class OrmItem extends Model('bench_orm_items', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
  qty: column(Integer, { nullable: false }),
  note: column(Text, { nullable: false }),
}, { metadata: ormMetadata }) {}

/** The table the load and get benchmarks read: `bench_items`' columns and 10k seeded rows, under the ORM's own name. */
export class OrmLoadItem extends Model('bench_orm_load', itemColumns(), { metadata: ormMetadata }) {}

export const UPDATE_ROWS = 1000

const ready = new WeakSet<Backend>()
/**
 * Create the `bench_orm_*` tables once per backend (fresh), seed
 * `bench_orm_load` (10k rows) and `bench_orm_items` (1k rows), and drop them
 * all when the backend closes.
 */
export async function ensureOrmTables(b: Backend): Promise<void> {
  if (ready.has(b)) return
  ready.add(b)
  await b.engine.begin(async (c) => {
    await ormMetadata.dropAll(c)
    await ormMetadata.createAll(c)
    await c.executeMany(insert(OrmLoadItem.table), Array.from({ length: SEED_ROWS }, (_, i) => ({ id: i + 1, ...itemRow(i + 1) })))
    await c.executeMany(insert(OrmItem.table), Array.from({ length: UPDATE_ROWS }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, qty: i, note: `note ${i + 1}` })))
  })
  b.onClose.push(() => b.engine.begin((c) => ormMetadata.dropAll(c)))
}

export function q(b: Backend, name: string): string { return b.raw.kind === 'mysql2' ? `\`${name}\`` : `"${name}"` }

/** What one run of `fn` sends through the engine, e.g. `4 statements (1 BEGIN, 2 INSERT, 1 COMMIT)`. */
export interface StatementCount { total: number; byKind: Map<string, number>; samples: Map<string, string>; text: string }
export async function countStatements(engine: AsyncEngine, fn: () => Promise<void>): Promise<StatementCount> {
  const byKind = new Map<string, number>()
  const samples = new Map<string, string>()
  let total = 0
  const listener = (e: { sql: string }): void => {
    total++
    const kind = /^\s*(\w+)/.exec(e.sql)?.[1]?.toUpperCase() ?? '?'
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    if (!samples.has(kind)) samples.set(kind, e.sql)
  }
  engine.events.on('beforeExecute', listener)
  try { await fn() } finally { engine.events.off('beforeExecute', listener) }
  const text = `${total} statements (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')})`
  return { total, byKind, samples, text }
}

/** sqlite3 `run`, resolving to the statement's `lastID` and `changes`. */
export const sqliteRunInfo = (db: sqlite3.Database, sql: string, params: unknown[]): Promise<{ lastID: number; changes: number }> =>
  new Promise((resolve, reject) => db.run(sql, params, function (this: { lastID: number; changes: number }, err: Error | null) {
    if (err) reject(err); else resolve({ lastID: this.lastID, changes: this.changes })
  }))

/** BEGIN / COMMIT on the raw connection, in the driver's words. */
export function rawTx(b: Backend): { begin: () => Promise<unknown>; commit: () => Promise<unknown> } {
  const raw = b.raw
  switch (raw.kind) {
    case 'pg': return { begin: () => raw.client.query('BEGIN'), commit: () => raw.client.query('COMMIT') }
    case 'mysql2': return { begin: () => raw.conn.query('START TRANSACTION'), commit: () => raw.conn.query('COMMIT') }
    case 'sqlite3': {
      const run = (sql: string) => new Promise<void>((resolve, reject) => raw.db.run(sql, [], (err) => (err ? reject(err) : resolve())))
      return { begin: () => run('BEGIN'), commit: () => run('COMMIT') }
    }
  }
}

/** Shorten a statement for a report line. */
export function head(sql: string | undefined, n = 110): string { return !sql ? '' : sql.length > n ? `${sql.slice(0, n)} … (${sql.length} chars)` : sql }
