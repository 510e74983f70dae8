/**
 * Type tests for the ORM, checked by `tsc -p tests` (part of `pnpm test`'s
 * typecheck): each `@ts-expect-error` line must fail to compile, and the
 * `Expect<Equal<...>>` lines must hold. Never executed.
 */
import {
  type AsyncSession, Integer, Model, type Select, Text, belongsTo, column, hasMany, manyToMany, select, selectinload, table,
} from '@retort/core'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
type Expect<T extends true> = T

class TUser extends Model<TUser>('types_users') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false }) accessor name!: string
  @column(Text) accessor email!: string | null
  @hasMany(() => TOrder, { backPopulates: 'user' }) accessor orders!: TOrder[]
}
class TOrder extends Model<TOrder>('types_orders') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'types_users.id' }) accessor userId!: number
  @column(Integer, { nullable: false }) accessor total!: number
  @belongsTo(() => TUser, { backPopulates: 'orders' }) accessor user!: TUser | null
}
// object style (no cycle): typed from the field declarations
class TTag extends Model('types_tags', {
  id: column(Integer, { primaryKey: true }),
  label: column(Text, { nullable: false }),
  note: column(Text),
}) {}

class Wrong extends Model<Wrong>('types_wrong') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  // @ts-expect-error an Integer column cannot decorate a string accessor
  @column(Integer) accessor name!: string
  // @ts-expect-error a non-null column cannot decorate a nullable accessor
  @column(Text, { nullable: false }) accessor label!: string | null
  // @ts-expect-error hasMany needs an array accessor
  @hasMany(() => TOrder) accessor one!: TOrder
  // @ts-expect-error a relationship to TUser cannot hold TOrder objects
  @belongsTo(() => TUser) accessor owner!: TOrder | null
}
void Wrong

const postTags = table('types_post_tags', { a: column(Integer), b: column(Integer) })
class TPost extends Model<TPost>('types_posts') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @manyToMany(() => TTag, { secondary: postTags }) accessor tags!: TTag[]
}
void TPost

export async function typed(session: AsyncSession): Promise<void> {
  // select(User) yields User
  const q = select(TUser)
  type _q = Expect<Equal<typeof q, Select<[TUser]>>>
  const users = (await session.execute(q)).scalars().all()
  type _u = Expect<Equal<typeof users, TUser[]>>
  const viaScalars = (await session.scalars(select(TUser).options(selectinload(TUser.c.orders)))).first()
  type _s = Expect<Equal<typeof viaScalars, TUser | undefined>>

  // column selects yield typed tuples
  const rows = (await session.execute(select(TUser.c.name, TOrder.c.total).join(TUser.c.orders))).all()
  const [name, total] = rows[0]
  type _n = Expect<Equal<typeof name, string>>
  type _t = Expect<Equal<typeof total, number>>
  const email = (await session.execute(select(TUser.c.email))).scalar()
  type _e = Expect<Equal<typeof email, string | null | undefined>>

  // get() takes the key and gives the model or undefined
  const got = await session.get(TUser, 1)
  type _g = Expect<Equal<typeof got, TUser | undefined>>

  // column expressions are typed
  select(TUser).where(TUser.c.name.eq('Jane'), TUser.c.id.in([1, 2]), TUser.c.email.isNull())
  // @ts-expect-error a string column does not compare with a number
  TUser.c.name.eq(1)
  // @ts-expect-error no such column
  void TUser.c.nope
  select(TOrder).where(TOrder.c.user.eq(new TUser({ name: 'x' })))
  // @ts-expect-error a relationship compares with its target model only
  select(TOrder).where(TOrder.c.user.eq(new TOrder({ total: 1 })))

  // constructors are typed
  const u = new TUser({ name: 'Jane', orders: [new TOrder({ total: 1 })] })
  type _o = Expect<Equal<typeof u.orders, TOrder[]>>
  // @ts-expect-error name is a string
  new TUser({ name: 42 })
  // @ts-expect-error unknown attribute
  new TUser({ nickname: 'j' })

  // the object style is typed too
  const tag = new TTag({ label: 'x' })
  type _l = Expect<Equal<typeof tag.label, string>>
  type _nn = Expect<Equal<typeof tag.note, string | null>>
  const labels = (await session.execute(select(TTag.c.label))).scalars().all()
  type _ls = Expect<Equal<typeof labels, string[]>>
  // @ts-expect-error label is a string
  new TTag({ label: 1 })
  void [u, tag]
}
