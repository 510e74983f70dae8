/**
 * Insert 1k rows, each operation in its own transaction (begin, insert,
 * commit on both sides). Retort: `conn.executeMany(insert(t), rows)` (batched
 * multi-row INSERT); `insert(t).values(rows)` shown for information. Raw: the
 * driver's best multi-row INSERT (pg and sqlite3: one VALUES list with
 * numbered/positional placeholders; mysql2: its `VALUES ?` nested-array form).
 */
import { insert } from '@retort/core'
import { type Backend, inserts, itemRow, sqliteRun } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'

const N = 1000
const rows = Array.from({ length: N }, (_, i) => itemRow(i))
const flat = rows.flatMap((r) => [r.name, r.qty, r.price, r.active, r.created])
const nested = rows.map((r) => [r.name, r.qty, r.price, r.active, r.created])

const benchmark: Benchmark = {
  id: 'insert-1k',
  title: 'insert 1k rows',
  group: 'core',
  needs: 'db',
  opsPerRound: 4,
  rounds: 15,
  async prepare(b: Backend): Promise<Prepared> {
    const sql = b.engine.compile(insert(inserts).values(rows)).template.sql
    const cleanup = async (): Promise<void> => { await b.rawExec(`DELETE FROM ${quote(b, 'bench_inserts')}`) }
    const subject: Variant = {
      name: 'retort executeMany(insert(t), rows)',
      after: cleanup,
      async run() { await b.conn.executeMany(insert(inserts), rows); await b.conn.commit() },
    }
    const extras: Variant[] = [{
      name: 'retort execute(insert(t).values(rows))',
      after: cleanup,
      async run() { await b.conn.execute(insert(inserts).values(rows)); await b.conn.commit() },
    }]
    const raw = b.raw
    let baseline: Variant
    switch (raw.kind) {
      case 'pg':
        baseline = {
          name: 'raw pg multi-row VALUES ($1…$5000)', after: cleanup,
          async run() { await raw.client.query('BEGIN'); await raw.client.query(sql, flat); await raw.client.query('COMMIT') },
        }
        break
      case 'mysql2': {
        const bulk = 'INSERT INTO `bench_inserts` (`name`, `qty`, `price`, `active`, `created`) VALUES ?'
        baseline = {
          name: 'raw mysql2 query(INSERT … VALUES ?)', after: cleanup,
          async run() { await raw.conn.query('START TRANSACTION'); await raw.conn.query(bulk, [nested]); await raw.conn.query('COMMIT') },
        }
        break
      }
      case 'sqlite3':
        baseline = {
          name: 'raw sqlite3 run(multi-row VALUES)', after: cleanup,
          async run() { await sqliteRun(raw.db, 'BEGIN', []); await sqliteRun(raw.db, sql, flat); await sqliteRun(raw.db, 'COMMIT', []) },
        }
        break
    }
    return { baseline, subject, extras, sql: sql.slice(0, 120) + ' …' }
  },
}

function quote(b: Backend, name: string): string { return b.raw.kind === 'mysql2' ? `\`${name}\`` : `"${name}"` }
export default benchmark
