// Retort quickstart: runs on embedded SQLite by default; set DATABASE_URL for PostgreSQL or MariaDB.
import { Integer, MetaData, Text, column, createAsyncEngine, func, insert, select, table } from '@retort/core'

const url = process.env.DATABASE_URL ?? 'sqlite+sqlite3://:memory:'
const engine = createAsyncEngine(url)
const metadata = new MetaData()

const users = table('qs_users', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
}, { metadata })
const orders = table('qs_orders', {
  id: column(Integer, { primaryKey: true }),
  userId: column(Integer, { foreignKey: 'qs_users.id', name: 'user_id', nullable: false }),
  total: column(Integer, { nullable: false }),
}, { metadata })

await engine.begin(async (conn) => {
  await metadata.dropAll(conn)
  await metadata.createAll(conn)
})

await engine.begin(async (conn) => {
  for (const [name, totals] of [['Jane Doe', [100, 200]], ['Bob Smith', [300]]]) {
    await conn.execute(insert(users).values({ name }))
    const id = (await conn.execute(select(users.c.id).where(users.c.name.eq(name)))).scalarOne()
    await conn.executeMany(insert(orders), totals.map((total) => ({ userId: id, total })))
  }
})

const rows = await engine.connect((conn) => conn.execute(
  select(users.c.name, orders.c.total)
    .join(orders, orders.c.userId.eq(users.c.id))
    .orderBy(users.c.id, orders.c.id),
))
let last
for (const row of rows) {
  if (row.name !== last) console.log(`User: ${(last = row.name)}`)
  console.log(`  Order: ${row.total}`)
}
const count = await engine.connect((conn) => conn.execute(select(func.count()).selectFrom(orders)))
console.log(`${count.scalar()} orders`)

await engine.begin((conn) => metadata.dropAll(conn))
await engine.dispose()
