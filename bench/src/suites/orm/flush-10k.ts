/**
 * Issue 4 "Speed": flush new objects with their relationships — 2,000 users
 * × 5 orders each (12,000 objects, 10,000 of them orders linked through the
 * `orders` collection) in one session, `commit()`. Target ≤ 2× the raw
 * driver's best multi-row INSERT of the same rows (users first, their keys
 * read back, then the orders with those keys), BEGIN … COMMIT on both sides.
 *
 * Timed per op on the Retort side: building the objects (`new OrmUser({ …,
 * orders: [new OrmOrder(…) × 5] })`), `addAll`, `commit()` (flush: BEGIN,
 * INSERTs, COMMIT), `close()`. On the raw side: building the parameter
 * arrays from the same data, BEGIN, the INSERTs, COMMIT. Rows are deleted
 * untimed after each round.
 */
import { type Backend, sqliteAll } from '../../backends.js'
import type { Benchmark, Prepared, Variant } from '../../harness.js'
import { OrmOrder, OrmUser, countStatements, ensureOrmTables, head, q, rawTx, sqliteRunInfo } from '../../orm-support.js'
import { sessionmaker } from '@retort/core'

const USERS = 2000
const PER_USER = 5
const data = Array.from({ length: USERS }, (_, i) => ({
  name: `user ${i}`,
  email: `user${i}@example.com`,
  orders: Array.from({ length: PER_USER }, (_, j) => ({ total: (i * PER_USER + j) % 1000, note: `order ${j} of user ${i}` })),
}))

/** `(a, b), (c, d), …` with `$n` (pg) or `?` placeholders. */
function valuesList(rows: number, cols: number, pg: boolean): string {
  const groups: string[] = []
  let n = 1
  for (let r = 0; r < rows; r++) {
    const g: string[] = []
    for (let c = 0; c < cols; c++) g.push(pg ? `$${n++}` : '?')
    groups.push(`(${g.join(', ')})`)
  }
  return groups.join(', ')
}

const benchmark: Benchmark = {
  id: 'orm-flush-10k',
  title: `ORM: flush ${USERS} users × ${PER_USER} orders (new objects + relationships), commit`,
  group: 'orm',
  needs: 'db',
  opsPerRound: 2,
  rounds: 15,
  target: 2,
  async prepare(b: Backend): Promise<Prepared> {
    await ensureOrmTables(b)
    const Session = sessionmaker(b.engine, { expireOnCommit: false })
    const users = q(b, 'bench_orm_users')
    const orders = q(b, 'bench_orm_orders')
    // pg: TRUNCATE (a DELETE of the users checks the FK against the orders' dead tuples, row by row: seconds)
    const cleanup = b.raw.kind === 'pg'
      ? async (): Promise<void> => { await b.rawExec(`TRUNCATE ${orders}, ${users}`) }
      : async (): Promise<void> => { await b.rawExec(`DELETE FROM ${orders}`); await b.rawExec(`DELETE FROM ${users}`) }
    const ormOp = async (): Promise<void> => {
      const session = Session()
      try {
        session.addAll(data.map((u) => new OrmUser({ name: u.name, email: u.email, orders: u.orders.map((o) => new OrmOrder(o)) })))
        await session.commit()
      } finally { await session.close() }
    }
    const subject: Variant = { name: 'retort addAll + commit', after: cleanup, run: ormOp }

    const raw = b.raw
    const tx = rawTx(b)
    const pg = raw.kind === 'pg'
    const insUsers = `INSERT INTO ${users} (${q(b, 'name')}, ${q(b, 'email')}) VALUES `
    const insOrders = `INSERT INTO ${orders} (${q(b, 'user_id')}, ${q(b, 'total')}, ${q(b, 'note')}) VALUES `
    const usersSql = insUsers + valuesList(USERS, 2, pg) + (pg ? ` RETURNING ${q(b, 'id')}` : '')
    const ordersSql = insOrders + valuesList(USERS * PER_USER, 3, pg)
    const orderParams = (ids: ArrayLike<number>): unknown[] => {
      const p: unknown[] = []
      for (let i = 0; i < USERS; i++) for (const o of data[i].orders) p.push(ids[i], o.total, o.note)
      return p
    }
    let insertAll: () => Promise<void>
    let how: string
    switch (raw.kind) {
      case 'pg':
        how = 'raw pg 2 multi-row INSERTs ($n)'
        insertAll = async () => {
          const res = await raw.client.query(usersSql, data.flatMap((u) => [u.name, u.email]))
          // pg returns RETURNING rows in VALUES order for a plain multi-row INSERT (what a raw user relies on)
          await raw.client.query(ordersSql, orderParams(res.rows.map((r) => r.id as number)))
        }
        break
      case 'mysql2':
        how = 'raw mysql2 2× query(INSERT … VALUES ?)'
        insertAll = async () => {
          const [res] = await raw.conn.query(`${insUsers}?`, [data.map((u) => [u.name, u.email])]) as unknown as [{ insertId: number }]
          const ids = Array.from({ length: USERS }, (_, i) => res.insertId + i)
          const nested: unknown[][] = []
          for (let i = 0; i < USERS; i++) for (const o of data[i].orders) nested.push([ids[i], o.total, o.note])
          await raw.conn.query(`${insOrders}?`, [nested])
        }
        break
      case 'sqlite3':
        how = 'raw sqlite3 2 multi-row INSERTs (lastID)'
        insertAll = async () => {
          const { lastID } = await sqliteRunInfo(raw.db, usersSql, data.flatMap((u) => [u.name, u.email]))
          const first = lastID - USERS + 1
          await sqliteRunInfo(raw.db, ordersSql, orderParams(Array.from({ length: USERS }, (_, i) => first + i)))
        }
        break
    }
    const baseline: Variant = { name: how, after: cleanup, async run() { await tx.begin(); await insertAll(); await tx.commit() } }

    // information: the raw driver also reading back the key of every row (what an ORM must give each object),
    // with RETURNING on both INSERTs, rows matched by position (which a raw user may do, and Retort may not)
    const ret = ` RETURNING ${q(b, 'id')}`
    const ordersRetSql = ordersSql + ret
    let insertAllKeys: () => Promise<void>
    switch (raw.kind) {
      case 'pg':
        insertAllKeys = async () => {
          const res = await raw.client.query({ text: usersSql, values: data.flatMap((u) => [u.name, u.email]), rowMode: 'array' })
          await raw.client.query({ text: ordersRetSql, values: orderParams(res.rows.map((r) => r[0] as number)), rowMode: 'array' })
        }
        break
      case 'mysql2':
        insertAllKeys = async () => {
          const [rows] = await raw.conn.query({ sql: `${insUsers}?${ret}`, rowsAsArray: true }, [data.map((u) => [u.name, u.email])]) as unknown as [number[][]]
          const nested: unknown[][] = []
          for (let i = 0; i < USERS; i++) for (const o of data[i].orders) nested.push([rows[i][0], o.total, o.note])
          await raw.conn.query({ sql: `${insOrders}?${ret}`, rowsAsArray: true }, [nested])
        }
        break
      case 'sqlite3':
        insertAllKeys = async () => {
          const rows = await sqliteAll(raw.db, usersSql + ret, data.flatMap((u) => [u.name, u.email])) as { id: number }[]
          await sqliteAll(raw.db, ordersRetSql, orderParams(rows.map((r) => r.id)))
        }
        break
    }
    const withKeys: Variant = { name: 'raw, every row\'s key back (RETURNING on both)', after: cleanup, async run() { await tx.begin(); await insertAllKeys(); await tx.commit() } }

    // one untimed probe of each side: what Retort sends, and both sides write the same rows
    const count = await countStatements(b.engine, ormOp)
    const check = async (): Promise<string> => {
      const [r] = await b.rawExec(`SELECT COUNT(*) AS n, SUM(${q(b, 'total')}) AS s FROM ${orders} o JOIN ${users} u ON u.${q(b, 'id')} = o.${q(b, 'user_id')} WHERE u.${q(b, 'name')} = 'user 1999'`) as { n: unknown; s: unknown }[]
      return `${Number(r.n)}/${Number(r.s)}`
    }
    const ormCheck = await check()
    await cleanup()
    await baseline.run(0)
    const rawCheck = await check()
    await cleanup()
    if (ormCheck !== rawCheck || !ormCheck.startsWith(`${PER_USER}/`)) throw new Error(`rows differ: retort ${ormCheck}, raw ${rawCheck}`)
    const insert = count.samples.get('INSERT')
    return {
      baseline, subject, extras: [withKeys],
      sql: `retort sends per op: ${count.text}; first INSERT: ${head(insert)}`,
      note: `${USERS + USERS * PER_USER} objects per op; object construction is timed on the Retort side, building parameter arrays on the raw side`,
      statements: count.text,
    }
  },
}
export default benchmark
