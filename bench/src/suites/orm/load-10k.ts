/**
 * Issue 4 "Speed": load 10k rows as models through an AsyncSession (identity
 * map included; target ≤ 1.25× the raw driver returning plain rows), and
 * `session.get` by key. The model maps `bench_orm_load` (`bench_items`'
 * columns, 10k seeded rows; see orm-support.ts).
 */
import { select, sessionmaker } from '@retort/core'
import { type Backend, SEED_ROWS, sqliteAll, sqliteGet } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'
import { OrmLoadItem as Item, countStatements, ensureOrmTables } from '../../orm-support.js'

const keyOf = (i: number): number => ((i * 7919) % SEED_ROWS) + 1

/** The raw driver returning plain rows for `sql` (its idiomatic call). */
function rawAll(b: Backend, sql: string, params: unknown[] = []): () => Promise<unknown[]> {
  const raw = b.raw
  switch (raw.kind) {
    case 'pg': return async () => (await raw.client.query(sql, params)).rows
    case 'mysql2': return async () => (await raw.conn.query(sql, params))[0] as unknown[]
    case 'sqlite3': return () => sqliteAll(raw.db, sql, params)
  }
}

const load: Benchmark = {
  id: 'orm-load-10k',
  title: 'ORM: load 10k rows as models (new session each op)',
  group: 'orm',
  needs: 'db',
  opsPerRound: 5,
  rounds: 15,
  target: 1.25,
  async prepare(b: Backend): Promise<Prepared> {
    await ensureOrmTables(b)
    const Session = sessionmaker(b.engine, { expireOnCommit: false })
    const sql = b.engine.compile(select(Item)).template.sql
    const fetch = rawAll(b, sql)
    const subject: Variant = {
      name: 'retort session.scalars(select(Item))',
      async run() {
        const session = Session()
        try {
          const n = (await session.scalars(select(Item))).all().length
          if (n !== SEED_ROWS) throw new Error(`expected ${SEED_ROWS} models, got ${n}`)
        } finally { await session.close() }
      },
    }
    const baseline: Variant = { name: `raw ${b.raw.kind} plain rows`, async run() { if ((await fetch()).length !== SEED_ROWS) throw new Error('rows') } }
    const statements = (await countStatements(b.engine, () => subject.run(0) as Promise<void>)).text
    return { baseline, subject, sql, statements, note: 'session.close() per op is timed; the Retort session checks a pooled connection out and in per op' }
  },
}

const get: Benchmark = {
  id: 'orm-get',
  title: 'ORM: session.get(Item, k) (one session, identity map cleared each round)',
  group: 'orm',
  needs: 'db',
  opsPerRound: 1000,
  rounds: 15,
  async prepare(b: Backend): Promise<Prepared> {
    await ensureOrmTables(b)
    const Session = sessionmaker(b.engine, { expireOnCommit: false })
    const sql = b.engine.compile(select(Item).where(Item.c.id.eq(1))).template.sql
    const raw = b.raw
    let session = Session()
    const subject: Variant = {
      name: 'retort session.get(Item, k)',
      before: () => { session = Session() },
      after: async () => { await session.close() },
      async run(i) { if (!(await session.get(Item, keyOf(i)))) throw new Error('no row') },
    }
    const one = raw.kind === 'sqlite3' ? (k: number) => sqliteGet(raw.db, sql, [k]) : async (k: number) => (await rawAll(b, sql, [k])())[0]
    const baseline: Variant = { name: `raw ${raw.kind} query by key`, async run(i) { if (!(await one(keyOf(i)))) throw new Error('no row') } }
    // what a session sends for gets: one fresh session, 3 misses and 1 hit, closed
    const statements = (await countStatements(b.engine, async () => {
      const s = Session()
      try { for (const k of [1, 2, 3, 1]) await s.get(Item, k) } finally { await s.close() }
    })).text + ' for 3 misses + 1 hit in one session'
    return { baseline, subject, sql, statements, note: 'keys repeat every 10k lookups, so every get in a round is a miss in the identity map' }
  },
}

export default [load, get]
