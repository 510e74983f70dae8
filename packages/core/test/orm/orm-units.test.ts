import { describe, expect, it } from 'vitest'
import { ArgumentError, Integer, MetaData, Model, Text, belongsTo, column, hasMany, table } from '../../src/index.js'
import { identityKey } from '../../src/orm/mapping/identity.js'
import { parseCascade } from '../../src/orm/relationships/cascade.js'
import { levels } from '../../src/orm/unit-of-work/dependency-sort.js'

describe('ORM units (no database)', () => {
  it('identity keys are canonical: 1, "1" and 1n are one key; composite keys; missing parts give none', () => {
    expect(identityKey([1])).toBe(identityKey(['1']))
    expect(identityKey([1n])).toBe(identityKey([1]))
    expect(identityKey([1, 'a'])).toBe(identityKey(['1', 'a']))
    expect(identityKey([1, 'a'])).not.toBe(identityKey([1, 'b']))
    expect(identityKey([null])).toBeUndefined()
    expect(identityKey([1, undefined])).toBeUndefined()
  })

  it('cascade lists parse as SQLAlchemy does', () => {
    expect(parseCascade(undefined)).toMatchObject({ saveUpdate: true, merge: true, delete: false, deleteOrphan: false })
    expect(parseCascade('all, delete-orphan')).toMatchObject({ saveUpdate: true, delete: true, deleteOrphan: true })
    expect(() => parseCascade('delete-orphan')).toThrow(ArgumentError)
    expect(() => parseCascade('nope')).toThrow(/unknown cascade/)
  })

  it('levels put rows after the rows they depend on, and refuse cycles', () => {
    const deps: Record<string, string[]> = { a: [], b: ['a'], c: ['b'], d: ['a'] }
    expect(levels(['c', 'd', 'b', 'a'], (x) => deps[x], 't')).toEqual([['a'], ['d', 'b'], ['c']])
    expect(() => levels(['x', 'y'], (n) => (n === 'x' ? ['y'] : ['x']), 't')).toThrow(/postUpdate/)
  })

  it('column() is a Core column definition and a decorator; models map like table()', () => {
    const md = new MetaData({ naming: 'snake_case' })
    const t = table('units_plain', { id: column(Integer, { primaryKey: true }), fullName: column(Text) }, { metadata: md })
    class A extends Model<A>('units_a', { metadata: md }) {
      @column(Integer, { primaryKey: true }) accessor id!: number
      @column(Text) accessor fullName!: string | null
      @hasMany(() => B, { backPopulates: 'a' }) accessor bs!: B[]
    }
    class B extends Model('units_b', {
      id: column(Integer, { primaryKey: true }),
      aId: column(Integer, { foreignKey: 'units_a.id' }),
      a: belongsTo(() => A, { backPopulates: 'bs' }),
    }, { metadata: md }) {}
    expect(t.c.fullName.name).toBe('full_name')
    expect(A.c.fullName.name).toBe('full_name')
    expect(B.c.aId.name).toBe('a_id')
    const b = new B({})
    const a = new A({ bs: [b] })
    expect(b.a).toBe(a)
    expect(() => new A({ bs: [a as any] })).toThrow(/takes units_b objects/)
  })
})
