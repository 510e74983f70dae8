/**
 * Select one row by primary key. Retort builds a fresh statement every
 * iteration (so the structural cache is exercised: key building + lookup);
 * the raw driver runs the same SQL text with its idiomatic parameterized call.
 */
import { select } from '@retort/core'
import { type Backend, SEED_ROWS, items, sqliteGet } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'
import { retortRound, rawRound } from '../transactions.js'

const keyOf = (i: number): number => ((i * 7919) % SEED_ROWS) + 1
const lookup = (k: number) => select(items.c.id, items.c.name, items.c.qty, items.c.price, items.c.active, items.c.created).where(items.c.id.eq(k))

const benchmark: Benchmark = {
  id: 'key-lookup',
  title: 'select 1 row by primary key',
  group: 'core',
  needs: 'db',
  opsPerRound: 1000,
  rounds: 15,
  target: 1.2,
  async prepare(b: Backend): Promise<Prepared> {
    const sql = b.engine.compile(lookup(1)).template.sql
    const subject: Variant = {
      name: 'retort conn.execute(select…where id=k)',
      ...retortRound(b),
      async run(i) {
        const row = (await b.conn.execute(lookup(keyOf(i)))).first()
        if (!row) throw new Error('no row')
      },
    }
    const raw = b.raw
    let baseline: Variant
    const extras: Variant[] = []
    switch (raw.kind) {
      case 'pg':
        baseline = { name: 'raw pg client.query(sql, [k])', ...rawRound(b), async run(i) { if (!(await raw.client.query(sql, [keyOf(i)])).rows[0]) throw new Error('no row') } }
        extras.push({ name: "raw pg rowMode 'array'", ...rawRound(b), async run(i) { if (!(await raw.client.query({ text: sql, values: [keyOf(i)], rowMode: 'array' })).rows[0]) throw new Error('no row') } })
        break
      case 'mysql2':
        baseline = { name: 'raw mysql2 conn.query(sql, [k])', ...rawRound(b), async run(i) { if (!((await raw.conn.query(sql, [keyOf(i)]))[0] as unknown[])[0]) throw new Error('no row') } }
        extras.push({ name: 'raw mysql2 conn.execute (prepared)', ...rawRound(b), async run(i) { if (!((await raw.conn.execute(sql, [keyOf(i)]))[0] as unknown[])[0]) throw new Error('no row') } })
        break
      case 'sqlite3':
        baseline = { name: 'raw sqlite3 db.get(sql, [k])', ...rawRound(b), async run(i) { if (!(await sqliteGet(raw.db, sql, [keyOf(i)]))) throw new Error('no row') } }
        break
    }
    return { baseline, subject, extras, sql }
  },
}
export default benchmark
