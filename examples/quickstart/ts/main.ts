// Retort quickstart in TypeScript (decorator-style models in ./user.ts and ./order.ts).
// Build and run: pnpm --filter quickstart start:ts   (DATABASE_URL picks the backend; default: SQLite in memory)
import { createAsyncEngine, func, isIntegrityError, metadata, select, selectinload, sessionmaker } from '@retort/core'
import { Order } from './order.js'
import { User } from './user.js'

const engine = createAsyncEngine(process.env.DATABASE_URL ?? 'sqlite+sqlite3://:memory:')
await engine.begin(async (conn) => { await metadata.dropAll(conn); await metadata.createAll(conn) })
const Session = sessionmaker(engine, { expireOnCommit: false })

{
  await using session = Session()
  await session.begin(async () => {
    const jane = new User({ name: 'Jane Doe' })
    session.add(jane)
    const none = await session.scalars(select(Order).where(Order.c.user.eq(jane))) // binds jane.id after autoflush
    if (none.all().length) throw new Error('expected no orders yet')

    const bob = new User({ name: 'Bob Smith' })
    for (const total of [100, 200]) new Order({ total }).user = jane
    new Order({ total: 300 }).user = bob
    session.addAll([jane, bob])

    const users = await session.execute(select(User).options(selectinload(User.c.orders)).orderBy(User.c.id))
    for (const user of users.scalars()) {
      console.log(`User: ${user.name}`)
      for (const order of user.orders) console.log(`  Order: ${order.total}`)
    }
  })

  try {
    await session.begin(async () => {
      session.add(new Order({ total: 1, userId: 999_999 }))
      await session.flush()
    })
  } catch (e) {
    console.error(`rolled back: ${isIntegrityError(e) ? 'IntegrityError' : 'unexpected error'}`)
  }
  const count = await session.begin(() => session.scalar(select(func.count()).selectFrom(Order.table)))
  console.error(`the session is still usable: ${count} orders`)
}

await engine.begin((conn) => metadata.dropAll(conn))
await engine.dispose()
