/**
 * Issue 4 "Speed": change one attribute on 1k loaded objects and commit.
 * Target ≤ 2× the raw driver's best single batched UPDATE of the same rows
 * (pg: `UPDATE … FROM (VALUES …)`; MariaDB and SQLite: `SET col = CASE id
 * WHEN … END WHERE id IN (…)`), BEGIN … COMMIT on both sides.
 *
 * The Retort session loads the 1k objects once per round (untimed, with
 * `expireOnCommit: false`, so they stay loaded across commits); each timed op
 * assigns `obj.qty` on all of them and awaits `session.commit()` (flush:
 * BEGIN, UPDATE(s), COMMIT). The raw side changes the same field on plain
 * objects and sends its one UPDATE in a transaction.
 */
import { type AsyncSession, select, sessionmaker } from '@retort/core'
import { type Backend } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'
import { OrmItem, UPDATE_ROWS, countStatements, ensureOrmTables, head, q, rawTx, sqliteRunInfo } from '../../orm-support.js'

const N = UPDATE_ROWS
const seed = Array.from({ length: N }, (_, i) => ({ id: i + 1, qty: i }))

const benchmark: Benchmark = {
  id: 'orm-update-1k',
  title: `ORM: change one attribute on ${N} loaded objects, commit`,
  group: 'orm',
  needs: 'db',
  opsPerRound: 10,
  rounds: 15,
  target: 2,
  async prepare(b: Backend): Promise<Prepared> {
    await ensureOrmTables(b)
    const Session = sessionmaker(b.engine, { expireOnCommit: false })
    let gen = 0
    let session: AsyncSession | undefined
    let objs: OrmItem[] = []
    const load = async (): Promise<void> => {
      session = Session()
      objs = (await session.scalars(select(OrmItem).where(OrmItem.c.id.le(N)))).all()
      if (objs.length !== N) throw new Error(`loaded ${objs.length}`)
      await session.commit()
    }
    const ormOp = async (): Promise<void> => {
      const g = ++gen
      for (let i = 0; i < objs.length; i++) objs[i].qty = g + i
      await session!.commit()
    }
    const subject: Variant = {
      name: 'retort assign ×1k + commit',
      before: load,
      after: async () => { await session?.close() },
      run: ormOp,
    }

    const raw = b.raw
    const tx = rawTx(b)
    const t = q(b, 'bench_orm_items')
    const [id, qty] = [q(b, 'id'), q(b, 'qty')]
    const plain = seed.map((r) => ({ ...r }))
    const bump = (): void => { const g = ++gen; for (let i = 0; i < N; i++) plain[i].qty = g + i }
    const ph = (n: number): string => (raw.kind === 'pg' ? `$${n}` : '?')
    // UPDATE … SET qty = CASE id WHEN k THEN v … END WHERE id IN (…): the portable form (what Retort sends too)
    let n = 1
    const whens = plain.map((_, i) => (raw.kind === 'pg' && i === 0 ? `WHEN $${n++}::int THEN $${n++}::int` : `WHEN ${ph(n++)} THEN ${ph(n++)}`)).join(' ')
    const ins = plain.map(() => ph(n++)).join(', ')
    const caseSql = `UPDATE ${t} SET ${qty} = CASE ${id} ${whens} END WHERE ${id} IN (${ins})`
    const caseParams = (): unknown[] => [...plain.flatMap((r) => [r.id, r.qty]), ...plain.map((r) => r.id)]
    // UPDATE … FROM (VALUES …): pg (and SQLite ≥ 3.33)
    n = 1
    const pairs = plain.map((_, i) => (raw.kind === 'pg' && i === 0 ? `($${n++}::int, $${n++}::int)` : `(${ph(n++)}, ${ph(n++)})`)).join(', ')
    const fromSql = raw.kind === 'pg'
      ? `UPDATE ${t} AS t SET ${qty} = v.qty FROM (VALUES ${pairs}) AS v(id, qty) WHERE t.${id} = v.id`
      : `UPDATE ${t} SET ${qty} = v.column2 FROM (VALUES ${pairs}) AS v WHERE ${t}.${id} = v.column1`
    const fromParams = (): unknown[] => plain.flatMap((r) => [r.id, r.qty])
    const exec = async (sql: string, params: unknown[]): Promise<number> => {
      switch (raw.kind) {
        case 'pg': return (await raw.client.query(sql, params)).rowCount ?? 0
        case 'mysql2': return ((await raw.conn.query(sql, params))[0] as { affectedRows: number }).affectedRows
        case 'sqlite3': return (await sqliteRunInfo(raw.db, sql, params)).changes
      }
    }
    const rawVariant = (name: string, sql: string, params: () => unknown[]): Variant => ({
      name,
      async run() {
        bump()
        await tx.begin()
        const changed = await exec(sql, params())
        await tx.commit()
        if (changed !== N) throw new Error(`${name}: ${changed} rows changed`)
      },
    })
    const fromV = rawVariant(`raw ${raw.kind} UPDATE … FROM (VALUES …)`, fromSql, fromParams)
    const caseV = rawVariant(`raw ${raw.kind} UPDATE … CASE id …`, caseSql, caseParams)
    const baseline = raw.kind === 'pg' ? fromV : caseV
    const extras = raw.kind === 'pg' ? [caseV] : raw.kind === 'sqlite3' ? [fromV] : []

    // one untimed probe: what Retort sends for one op, and that it lands
    await load()
    const count = await countStatements(b.engine, ormOp)
    await session!.close()
    const [row] = await b.rawExec(`SELECT ${qty} AS v FROM ${t} WHERE ${id} = ${N}`) as { v: unknown }[]
    if (Number(row.v) !== gen + N - 1) throw new Error(`update did not land: ${String(row.v)} vs ${gen + N - 1}`)
    for (const v of [baseline, ...extras]) await v.run(0)
    return {
      baseline, subject, extras,
      sql: `retort sends per op: ${count.text}; UPDATE: ${head(count.samples.get('UPDATE'))}`,
      statements: count.text,
      note: 'the 1k objects are loaded once per round (untimed) and stay loaded (expireOnCommit: false)',
    }
  },
}
export default benchmark
