import {
  type AsyncSession, Integer, MetaData, Model, Text, belongsTo, column, deleteFrom, hasMany, hasOne, manyToMany, select, sessionmaker, table, update,
} from '@retort/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, recordStatements, resetSchema } from './support.js'

// Scenarios from SQLAlchemy's test_cycles.py (post_update) and test_cascade.py, plus the relationship kinds.
const metadata = new MetaData({ naming: 'snake_case' })

class Person extends Model<Person>('orm_rel_person', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_rel_ball.id' }) accessor favoriteBallId!: number | null
  @column(Text) accessor data!: string | null
  @hasMany(() => Ball, { backPopulates: 'person', cascade: 'all, delete-orphan' }) accessor balls!: Ball[]
  @belongsTo(() => Ball, { foreignKey: 'favoriteBallId', postUpdate: true }) accessor favorite!: Ball | null
  @hasOne(() => Passport, { backPopulates: 'holder' }) accessor passport!: Passport | null
}
class Ball extends Model<Ball>('orm_rel_ball', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_rel_person.id' }) accessor personId!: number | null
  @column(Text) accessor data!: string | null
  @belongsTo(() => Person, { backPopulates: 'balls', foreignKey: 'personId' }) accessor person!: Person | null
}
class Passport extends Model<Passport>('orm_rel_passport', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_rel_person.id' }) accessor holderId!: number | null
  @column(Text) accessor code!: string | null
  @belongsTo(() => Person, { backPopulates: 'passport' }) accessor holder!: Person | null
}
// two relationships between the same models: pick the foreign key
class Customer extends Model<Customer>('orm_rel_customer', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_rel_address.id' }) accessor billingAddressId!: number | null
  @column(Integer, { foreignKey: 'orm_rel_address.id' }) accessor shippingAddressId!: number | null
  @belongsTo(() => Address, { foreignKey: 'billingAddressId' }) accessor billing!: Address | null
  @belongsTo(() => Address, { foreignKey: 'shippingAddressId' }) accessor shipping!: Address | null
}
class Address extends Model<Address>('orm_rel_address', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor street!: string | null
}
// passive deletes: the database cascades
class Folder extends Model<Folder>('orm_rel_folder', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text) accessor name!: string | null
  @hasMany(() => Doc, { cascade: 'all', passiveDeletes: true, backref: 'folder' }) accessor docs!: Doc[]
}
class Doc extends Model<Doc>('orm_rel_doc', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_rel_folder.id', onDelete: 'CASCADE' }) accessor folderId!: number | null
  @column(Text) accessor title!: string | null
}
// many-to-many with the secondary given as a model-less table, self-referential adjacency in object style
const postTags = table('orm_rel_post_tags', {
  postId: column(Integer, { foreignKey: 'orm_rel_post.id', primaryKey: true }),
  tagId: column(Integer, { foreignKey: 'orm_rel_tag.id', primaryKey: true }),
}, { metadata })
class Post extends Model('orm_rel_post', {
  id: column(Integer, { primaryKey: true }),
  title: column(Text),
  tags: manyToMany(() => Tag, { secondary: postTags, backref: 'posts', orderBy: () => Tag.c.name }),
}, { metadata }) {}
class Tag extends Model('orm_rel_tag', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text),
}, { metadata }) {}

describe.each(BACKENDS)('relationships on $name', ({ name }) => {
  const engine = makeEngine(name)
  const factory = sessionmaker(engine, { expireOnCommit: false })
  const open: AsyncSession[] = []
  const Session = (): AsyncSession => { const s = factory(); open.push(s); return s }
  const rec = recordStatements(engine)
  let ret = (_c: string): string => ''

  beforeAll(async () => {
    await resetSchema(engine, metadata)
    ret = (c) => (engine.dialect!.supportsReturning ? ` RETURNING ${c}` : '')
  })
  afterAll(() => dropSchema(engine, metadata))
  afterEach(async () => { for (const s of open.splice(0)) await s.close() })
  beforeEach(async () => {
    await engine.begin(async (c) => {
      await c.execute(update(Person).values({ favoriteBallId: null }))
      for (const t of [postTags, Post.table, Tag.table, Doc.table, Folder.table, Customer.table, Address.table, Passport.table, Ball.table, Person.table]) await c.execute(deleteFrom(t))
    })
    rec.clear()
  })

  it('post-update breaks a two-row cycle: INSERT, INSERT, then UPDATE (test_cycles test_post_update_m2o)', async () => {
    const s = Session()
    const p = new Person({ data: 'p' })
    const b = new Ball({ data: 'b' })
    p.balls.push(b)
    p.favorite = b
    s.add(p)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      `INSERT INTO orm_rel_person (data) VALUES (?)${ret('orm_rel_person.id')}`,
      `INSERT INTO orm_rel_ball (person_id, data) VALUES (?, ?)${ret('orm_rel_ball.id')}`,
      'UPDATE orm_rel_person SET favorite_ball_id = ? WHERE orm_rel_person.id = ?',
    ])
    expect(p.favoriteBallId).toBe(b.id)
    await s.delete(p)
    rec.clear()
    await s.flush()
    expect(rec.dml()).toEqual([
      'UPDATE orm_rel_person SET favorite_ball_id = ? WHERE orm_rel_person.id = ?',
      'DELETE FROM orm_rel_ball WHERE orm_rel_ball.id IN (?)',
      'DELETE FROM orm_rel_person WHERE orm_rel_person.id IN (?)',
    ])
    await s.commit()
  })

  it('one-to-many plus a separate many-to-one between the same tables flushes (test_cycles test_cycle)', async () => {
    const s = Session()
    const p = new Person()
    p.balls.push(new Ball())
    s.add(p)
    await s.commit()
    expect(p.balls[0].personId).toBe(p.id)
  })

  it('hasOne: a scalar one-to-one kept in sync on both sides; replacing it nulls the old row', async () => {
    const s = Session()
    const p = new Person({ data: 'x' })
    const a = new Passport({ code: 'A' })
    p.passport = a
    expect(a.holder).toBe(p)
    s.add(p)
    await s.commit()
    expect(a.holderId).toBe(p.id)
    const b = new Passport({ code: 'B' })
    p.passport = b
    expect(a.holder).toBeNull()
    await s.commit()
    const rows = (await s.execute(select(Passport.c.code, Passport.c.holderId).orderBy(Passport.c.code))).all().map((r) => [r[0], r[1]])
    expect(rows).toEqual([['A', null], ['B', p.id]])
  })

  it('two relationships to one model, told apart with foreignKey', async () => {
    const s = Session()
    const home = new Address({ street: 'home' })
    const work = new Address({ street: 'work' })
    const c = new Customer({ billing: home, shipping: work })
    s.add(c)
    await s.commit()
    expect([c.billingAddressId, c.shippingAddressId]).toEqual([home.id, work.id])
    const t = Session()
    const got = (await t.get(Customer, c.id))!
    expect((await t.load(got, 'shipping'))!.street).toBe('work')
    expect((await got.awaitable.billing as Address).street).toBe('home')
  })

  it('passiveDeletes leaves unloaded children to ON DELETE CASCADE (test_cascade passive deletes)', async () => {
    const s = Session()
    const f = new Folder({ name: 'f', docs: [new Doc({ title: 'd1' }), new Doc({ title: 'd2' })] })
    s.add(f)
    await s.commit()
    const t = Session()
    const again = (await t.get(Folder, f.id))!
    rec.clear()
    await t.delete(again)
    await t.commit()
    expect(rec.dml()).toEqual(['DELETE FROM orm_rel_folder WHERE orm_rel_folder.id IN (?)'])
    expect(await engine.connect(async (c) => (await c.execute(select(Doc.c.id))).all().length)).toBe(0)
  })

  it('default cascade save-update adds related objects; delete cascade loads and deletes an unloaded collection (test_cascade)', async () => {
    const s = Session()
    const p = new Person({ data: 'c', balls: [new Ball({ data: '1' }), new Ball({ data: '2' })] })
    s.add(p)
    expect(s.new.size).toBe(3)
    await s.commit()
    const t = Session()
    const got = (await t.get(Person, p.id))!
    rec.clear()
    await t.delete(got) // balls cascade 'all': loaded first, then deleted
    await t.commit()
    // the balls are loaded (to delete them) and the passport (to null its foreign key), then the deletes
    expect(rec.dml().filter((q) => q.startsWith('SELECT')).join('\n')).toMatch(/FROM orm_rel_ball WHERE orm_rel_ball.person_id IN \(\?\)/)
    expect(rec.dml().filter((q) => !q.startsWith('SELECT'))).toEqual([
      'DELETE FROM orm_rel_ball WHERE orm_rel_ball.id IN (?, ?)',
      'DELETE FROM orm_rel_person WHERE orm_rel_person.id IN (?)',
    ])
  })

  it('many-to-many (object style, backref): association rows, orderBy, join and any()', async () => {
    const s = Session()
    const red = new Tag({ name: 'red' })
    const blue = new Tag({ name: 'blue' })
    const p1 = new Post({ title: 'p1', tags: [red, blue] })
    const p2 = new Post({ title: 'p2', tags: [red] })
    s.addAll([p1, p2])
    await s.commit()
    expect((red as any).posts).toEqual([p1, p2])
    const t = Session()
    const { selectinload } = await import('@retort/core')
    const posts = (await t.scalars(select(Post).options(selectinload(Post.c.tags)).orderBy(Post.c.title))).all()
    expect(posts.map((p) => p.tags.map((x) => x.name))).toEqual([['blue', 'red'], ['red']])
    const joined = (await t.scalars(select(Post.c.title).join(Post.c.tags).where(Tag.c.name.eq('blue')))).all()
    expect(joined).toEqual(['p1'])
    const anyBlue = (await t.scalars(select(Post.c.title).where(Post.c.tags.any(Tag.c.name.eq('blue'))))).all()
    expect(anyBlue).toEqual(['p1'])
    await t.delete(posts[0])
    await t.commit()
    expect(await engine.connect(async (c) => (await c.execute(select(postTags.c.postId))).scalars().all())).toEqual([p2.id])
  })

  it('many-to-many through a secondary given as a model (thunk)', async () => {
    const md = new MetaData()
    class Student extends Model<Student>('orm_rel_students', { metadata: md }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @column(Text) accessor name!: string | null
      @manyToMany(() => Course, { secondary: () => Enrollment, backPopulates: 'students' }) accessor courses!: Course[]
    }
    class Course extends Model<Course>('orm_rel_courses', { metadata: md }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @column(Text) accessor title!: string | null
      @manyToMany(() => Student, { secondary: () => Enrollment, backPopulates: 'courses' }) accessor students!: Student[]
    }
    class Enrollment extends Model<Enrollment>('orm_rel_enrollments', { metadata: md }) {
      @column(Integer, { primaryKey: true, foreignKey: 'orm_rel_students.id' }) accessor studentId!: number
      @column(Integer, { primaryKey: true, foreignKey: 'orm_rel_courses.id' }) accessor courseId!: number
    }
    await resetSchema(engine, md)
    try {
      const s = Session()
      const math = new Course({ title: 'math' })
      s.add(new Student({ name: 'ann', courses: [math, new Course({ title: 'art' })] }))
      await s.commit()
      expect(math.students.map((x) => x.name)).toEqual(['ann'])
      await s.close()
      const t = Session()
      const { selectinload } = await import('@retort/core')
      const [c] = (await t.scalars(select(Course).where(Course.c.title.eq('math')).options(selectinload(Course.c.students)))).all()
      expect(c.students.map((x) => x.name)).toEqual(['ann'])
      expect((await t.scalars(select(Enrollment))).all()).toHaveLength(2)
      await t.close()
    } finally {
      await engine.begin((conn) => md.dropAll(conn))
    }
  })

  it('self-referential adjacency: children and parent, loaded level by level', async () => {
    const nodes = new MetaData()
    class N extends Model<N>('orm_rel_nodes', { metadata: nodes }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @column(Integer, { foreignKey: 'orm_rel_nodes.id', name: 'parent_id' }) accessor parentId!: number | null
      @column(Text) accessor name!: string
      @hasMany(() => N, { backref: 'parent', lazy: 'selectin', orderBy: () => N.c.name }) accessor children!: N[]
    }
    await resetSchema(engine, nodes)
    try {
      const s = Session()
      const root = new N({ name: 'root', children: [new N({ name: 'b', children: [new N({ name: 'b1' })] }), new N({ name: 'a' })] })
      s.add(root)
      await s.commit()
      const t = Session()
      const r = (await t.scalars(select(N).where(N.c.name.eq('root')))).one()
      expect(r.children.map((c) => c.name)).toEqual(['a', 'b'])
      expect(r.children[1].children.map((c) => c.name)).toEqual(['b1'])
      expect((r.children[1].children[0] as any).parent).toBe(r.children[1])
      await t.close()
    } finally {
      await engine.begin((c) => nodes.dropAll(c))
    }
  })
})
