// The models and the session work of the quickstart (index.js runs it on DATABASE_URL).
import {
  Integer, Model, Text, column, func, hasMany, isIntegrityError, metadata, select, selectinload, sessionmaker,
} from '@retort/core'

export class User extends Model('users', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
  orders: hasMany(() => Order, { backref: 'user', orderBy: () => Order.c.id }),
}) {}

export class Order extends Model('orders', {
  id: column(Integer, { primaryKey: true }),
  userId: column(Integer, { foreignKey: 'users.id', name: 'user_id', nullable: false }),
  total: column(Integer, { nullable: false }),
}) {}

/** Run the scenario on an engine; the report goes to `out`, the error path's narration to `err`. */
export async function run(engine, out = console.log, err = console.error) {
  await engine.begin(async (conn) => { await metadata.dropAll(conn); await metadata.createAll(conn) })
  const Session = sessionmaker(engine, { expireOnCommit: false })
  const session = Session() // (in TypeScript: `await using session = Session()` closes it for you)
  try {
    await scenario(session, out, err)
  } finally {
    await session.close()
  }
  await engine.begin((conn) => metadata.dropAll(conn))
}

async function scenario(session, out, err) {
  await session.begin(async () => {
    // a relationship compared with an object binds its key when the statement runs (after autoflush)
    const first = new User({ name: 'Jane Doe' })
    session.add(first)
    const none = await session.scalars(select(Order).where(Order.c.user.eq(first)))
    if (none.all().length !== 0) throw new Error('expected no orders yet')

    const bob = new User({ name: 'Bob Smith' })
    for (const total of [100, 200]) new Order({ total }).user = first
    new Order({ total: 300 }).user = bob
    session.addAll([first, bob])

    const users = await session.execute(select(User).options(selectinload(User.c.orders)).orderBy(User.c.id))
    for (const user of users.scalars()) {
      out(`User: ${user.name}`)
      for (const order of user.orders) out(`  Order: ${order.total}`)
    }
  })

  // the error path: a failing statement rolls the transaction back, the error is typed, the session stays usable
  try {
    await session.begin(async () => {
      session.add(new Order({ total: 1, userId: 999_999 }))
      await session.flush()
    })
  } catch (e) {
    err(`rolled back: ${isIntegrityError(e) ? 'IntegrityError' : 'unexpected error'} (${e.name})`)
  }
  const count = await session.begin(() => session.scalar(select(func.count()).selectFrom(Order.table)))
  err(`the session is still usable: ${count} orders`)
}
