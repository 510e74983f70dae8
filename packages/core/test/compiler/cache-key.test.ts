import { describe, expect, it } from 'vitest'
import { Integer, Text } from '../../src/sql/types/type.js'
import { MetaData } from '../../src/sql/schema/metadata.js'
import { columnDef as column, table } from '../../src/sql/schema/table.js'
import { exists, literal } from '../../src/sql/nodes/elements.js'
import { newKeyWriter, type Node } from '../../src/sql/nodes/node.js'
import { select } from '../../src/sql/builders/select.js'
import { insert } from '../../src/sql/builders/dml.js'
import { text } from '../../src/sql/builders/text.js'
import { func } from '../../src/sql/builders/func.js'

const md = new MetaData()
const users = table('users', { id: column(Integer, { primaryKey: true }), name: column(Text) }, { metadata: md })
const orders = table('orders', { id: column(Integer, { primaryKey: true }), userId: column(Integer, { name: 'user_id' }) }, { metadata: md })
const key = (n: Node) => { const w = newKeyWriter(); n.cacheKey(w); return { key: w.parts.join('|'), binds: w.binds.length } }

describe('cache keys: structure, never values', () => {
  it('the same build with other values gives the same key and its binds', () => {
    const q = (name: string, n: number) => select(users.c.id).where(users.c.name.eq(name)).limit(n)
    expect(key(q('a', 1))).toEqual(key(q('b', 20)))
    expect(key(q('a', 1)).binds).toBe(2)
  })
  it('a different shape, operator or bind type gives another key', () => {
    expect(key(select(users.c.id).where(users.c.id.eq(1))).key).not.toBe(key(select(users.c.id).where(users.c.id.ne(1))).key)
    expect(key(select(literal(1))).key).not.toBe(key(select(literal('1'))).key)
  })
  it('IN lists: one shape per length', () => {
    const q = (ids: number[]) => key(select(users.c.id).where(users.c.id.in(ids))).key
    expect(q([1, 2])).toBe(q([3, 4]))
    expect(q([1, 2])).not.toBe(q([1, 2, 3]))
    expect(q([])).not.toBe(q([1]))
  })
  it('a subquery or alias used only through its columns is part of the key, binds included', () => {
    const sub = (n: number) => select(users.c.id).where(users.c.id.gt(n)).subquery('s')
    const a = sub(1); const b = sub(2)
    expect(key(select(a.c.id))).toEqual(key(select(b.c.id)))
    expect(key(select(a.c.id)).binds).toBe(1)
    const other = select(users.c.id).where(users.c.id.lt(1)).subquery('s')
    expect(key(select(other.c.id)).key).not.toBe(key(select(a.c.id)).key)
  })
  it('two separately built aliases of the same name and shape share a key', () => {
    expect(key(select(users.alias('u').c.id)).key).toBe(key(select(users.alias('u').c.id)).key)
    expect(key(select(users.alias('u').c.id)).key).not.toBe(key(select(users.alias('v').c.id)).key)
  })
  it('a CTE body is in the key once, however often it is used', () => {
    const cte = (n: number) => select(users.c.id).where(users.c.id.gt(n)).cte('c')
    const c1 = cte(1)
    const k = key(select(c1.c.id).where(c1.c.id.in(select(c1.c.id))))
    expect(k.binds).toBe(1)
    const c2 = cte(5)
    expect(key(select(c2.c.id).where(c2.c.id.in(select(c2.c.id)))).key).toBe(k.key)
  })
  it('correlated subqueries, functions, inserts and text key by structure', () => {
    const e = (n: number) => key(select(users.c.id).where(exists(select(orders.c.id).where(orders.c.userId.eq(users.c.id), orders.c.id.gt(n)))))
    expect(e(1)).toEqual(e(2))
    expect(key(select(func.count()).selectFrom(users)).key).toBe(key(select(func.count()).selectFrom(users)).key)
    expect(key(insert(users).values({ name: 'a' })).key).toBe(key(insert(users).values({ name: 'b' })).key)
    expect(key(insert(users).values({ name: 'a' })).key).not.toBe(key(insert(users).values([{ name: 'a' }, { name: 'b' }])).key)
    expect(key(text('select :x').bindParams({ x: 1 })).key).toBe(key(text('select :x').bindParams({ x: 2 })).key)
  })
})
