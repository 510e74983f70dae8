/**
 * Select 10k rows. Baseline: the driver's idiomatic call (pg: object rows,
 * `client.query(sql)`; mysql2: `conn.query(sql)`; sqlite3: `db.all(sql)`).
 * pg's `rowMode: 'array'` (what Retort uses underneath) and mysql2's
 * `rowsAsArray` are shown for information.
 */
import { select } from '@retort/core'
import { type Backend, SEED_ROWS, items, sqliteAll } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'
import { rawRound, retortRound } from '../transactions.js'

const all = () => select(items)

function check(n: number): void { if (n !== SEED_ROWS) throw new Error(`expected ${SEED_ROWS} rows, got ${n}`) }

const benchmark: Benchmark = {
  id: 'select-10k',
  title: 'select 10k rows',
  group: 'core',
  needs: 'db',
  opsPerRound: 5,
  rounds: 15,
  target: 1.15,
  async prepare(b: Backend): Promise<Prepared> {
    const sql = b.engine.compile(all()).template.sql
    const subject: Variant = { name: 'retort conn.execute(select(t))', ...retortRound(b), async run() { check((await b.conn.execute(all())).all().length) } }
    const raw = b.raw
    let baseline: Variant
    const extras: Variant[] = []
    switch (raw.kind) {
      case 'pg':
        baseline = { name: 'raw pg client.query(sql) objects', ...rawRound(b), async run() { check((await raw.client.query(sql)).rows.length) } }
        extras.push({ name: "raw pg rowMode 'array'", ...rawRound(b), async run() { check((await raw.client.query({ text: sql, rowMode: 'array' })).rows.length) } })
        break
      case 'mysql2':
        baseline = { name: 'raw mysql2 conn.query(sql) objects', ...rawRound(b), async run() { check(((await raw.conn.query(sql))[0] as unknown[]).length) } }
        extras.push({ name: 'raw mysql2 rowsAsArray', ...rawRound(b), async run() { check(((await raw.conn.query({ sql, rowsAsArray: true }))[0] as unknown[]).length) } })
        break
      case 'sqlite3':
        baseline = { name: 'raw sqlite3 db.all(sql) objects', ...rawRound(b), async run() { check((await sqliteAll(raw.db, sql, [])).length) } }
        break
    }
    return { baseline, subject, extras, sql }
  },
}
export default benchmark
