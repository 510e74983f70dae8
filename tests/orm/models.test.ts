import {
  DateTime, Integer, Json, MetaData, Model, Text, aliased, belongsTo, column, flagModified, hasMany, select, sessionmaker, table,
} from '@retort/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, makeEngine } from '../support/backends.js'
import { dropSchema, resetSchema } from './support.js'

const metadata = new MetaData({ naming: 'snake_case' })

/** A base model: shared columns for any model that extends it. */
function TimestampedModel<T>(name: string) {
  abstract class Base extends Model<T>(name, { metadata }) {
    @column(DateTime, { default: () => new Date('2024-01-02T03:04:05.000Z') }) accessor createdAt!: Date | null
  }
  return Base
}

class Author extends TimestampedModel<Author>('orm_models_authors') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false }) accessor fullName!: string
  @column(Json) accessor doc: Record<string, unknown> | null = null
  @column(Integer, { versionCounter: true, nullable: false }) accessor version!: number
  @column(Text, { serverDefault: "'active'" }) accessor status!: string | null
  @hasMany(() => Book, { backPopulates: 'author', orderBy: () => Book.c.id }) accessor books!: Book[]
  get shout(): string { return this.fullName.toUpperCase() }
}

class Book extends Model<Book>('orm_models_books', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Integer, { foreignKey: 'orm_models_authors.id' }) accessor authorId!: number | null
  @column(Text) accessor title!: string
  @belongsTo(() => Author, { backPopulates: 'books' }) accessor author!: Author | null
}

// the plain-JS object style, same mapping; shared fields by spreading a mixin object
const withId = { id: column(Integer, { primaryKey: true }) }
const Tag = class Tag extends Model('orm_models_tags', {
  ...withId,
  label: column(Text, { nullable: false }),
  rank: column(Integer, { default: 5 }),
  edits: column(Integer, { default: 0, onUpdateValue: () => 1 }),
}, { metadata }) {}

// composite primary key
class Edition extends Model<Edition>('orm_models_editions', { metadata }) {
  @column(Integer, { primaryKey: true }) accessor bookId!: number
  @column(Integer, { primaryKey: true }) accessor number!: number
  @column(Text) accessor note!: string | null
}

// a core table in the same metadata works alongside models
const plain = table('orm_models_plain', { id: column(Integer, { primaryKey: true }), v: column(Text) }, { metadata })

describe('model mapping (no database)', () => {
  it('registers tables, maps snake_case names and typed columns', () => {
    expect(Author.table.name).toBe('orm_models_authors')
    expect(metadata.tables.get('orm_models_authors')).toBe(Author.table)
    expect(Author.c.fullName.name).toBe('full_name')
    expect(Author.c.createdAt.name).toBe('created_at')
    expect(Book.c.authorId.name).toBe('author_id')
    expect(Tag.c.label.name).toBe('label')
    expect(Edition.table.primaryKey.map((c) => c.name)).toEqual(['book_id', 'number'])
    expect(plain.c.v.name).toBe('v')
    expect(Author.c.books.key).toBe('books')
  })
  it('constructs typed objects with empty collections and null scalars', () => {
    const a = new Author({ fullName: 'Ann' })
    expect(a.fullName).toBe('Ann')
    expect(a.books).toEqual([])
    expect(a.doc).toBeNull() // class-body default kept
    expect(a.shout).toBe('ANN')
    const b = new Book({ title: 'T', author: a })
    expect(b.author).toBe(a)
    expect(a.books).toEqual([b]) // backPopulates in memory
    expect(JSON.stringify(b)).toBe('{"title":"T"}')
    const t = new Tag({ label: 'x' })
    expect(t.label).toBe('x')
    expect(() => new Tag({ nope: 1 } as any)).toThrow(/unknown attribute 'nope'/)
  })
  it('keeps collections and backrefs in sync on push, splice and assignment', () => {
    const a = new Author({ fullName: 'A' })
    const b1 = new Book({ title: '1' })
    const b2 = new Book({ title: '2' })
    a.books.push(b1, b2)
    expect(b1.author).toBe(a)
    a.books.splice(0, 1)
    expect(b1.author).toBeNull()
    const a2 = new Author({ fullName: 'B' })
    b2.author = a2
    expect(a.books).toEqual([])
    expect(a2.books).toEqual([b2])
    a2.books = [b1]
    expect(b2.author).toBeNull()
    expect(b1.author).toBe(a2)
  })
  it('aliased() gives a second name', () => {
    const A = aliased(Author, 'a2')
    expect(A.c.fullName.table).not.toBe(Author.table)
  })
})

describe.each(BACKENDS)('models on $name', ({ name }) => {
  const engine = makeEngine(name)
  const Session = sessionmaker(engine, { expireOnCommit: false })
  beforeAll(() => resetSchema(engine, metadata))
  afterAll(() => dropSchema(engine, metadata))

  it('round-trips both styles with client and server defaults, version counter and Json', async () => {
    const a = new Author({ fullName: 'Ann', doc: { tags: ['a'] } })
    const t = new Tag({ label: 'x' })
    await Session.begin(async (s) => { s.addAll([a, t]) })
    expect(a.id).toEqual(expect.any(Number))
    expect(a.createdAt).toEqual(new Date('2024-01-02T03:04:05.000Z'))
    expect(a.version).toBe(1)
    expect(a.status).toBe('active')
    expect(t.rank).toBe(5)
    await Session.begin(async (s) => {
      const got = (await s.get(Author, a.id))!
      expect(got.fullName).toBe('Ann')
      expect(got.doc).toEqual({ tags: ['a'] })
      ;(got.doc!.tags as string[]).push('b')
      expect(s.isModified(got)).toBe(false)
      flagModified(got, 'doc')
      expect(s.isModified(got)).toBe(true)
      got.fullName = 'Anna'
    })
    await Session.begin(async (s) => {
      const got = (await s.get(Author, a.id))!
      expect(got.fullName).toBe('Anna')
      expect(got.doc).toEqual({ tags: ['a', 'b'] })
      expect(got.version).toBe(2)
      const tags = (await s.scalars(select(Tag))).all()
      expect(tags.map((x) => x.label)).toEqual(['x'])
      expect(tags[0].edits).toBe(0)
      tags[0].label = 'y'
      await s.flush()
      expect(tags[0].edits).toBe(1) // onUpdateValue, set on UPDATE
    })
  })

  it('composite primary keys: get with an array, update and delete', async () => {
    await Session.begin(async (s) => { s.addAll([new Edition({ bookId: 1, number: 1, note: 'a' }), new Edition({ bookId: 1, number: 2 })]) })
    await Session.begin(async (s) => {
      const e = (await s.get(Edition, [1, 2]))!
      expect(e.number).toBe(2)
      e.note = 'second'
      expect(await s.get(Edition, [9, 9])).toBeUndefined()
    })
    await Session.begin(async (s) => {
      expect((await s.get(Edition, ['1', 2n]))!.note).toBe('second')
      await s.delete((await s.get(Edition, [1, 1]))!)
    })
    const left = await Session.begin(async (s) => (await s.scalars(select(Edition))).all())
    expect(left.map((e) => e.number)).toEqual([2])
  })

  it('aliased() self-join returns model instances', async () => {
    await Session.begin(async (s) => { s.addAll([new Tag({ label: 'p', rank: 1 }), new Tag({ label: 'q', rank: 1 })]) })
    const T2 = aliased(Tag, 'other_tag')
    const rows = await Session.begin(async (s) => (await s.execute(
      select(Tag, T2).join(T2, T2.c.rank.eq(Tag.c.rank)).where(Tag.c.label.eq('p'), T2.c.label.eq('q')),
    )).all())
    expect(rows).toHaveLength(1)
    expect(rows[0][0]).toBeInstanceOf(Tag)
    expect(rows[0][1]).toBeInstanceOf(Tag)
    expect(rows[0][1].label).toBe('q')
  })
})
