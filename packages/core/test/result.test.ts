import { describe, expect, it } from 'vitest'
import { Result, isMultipleResultsFound, isNoResultFound, nameRows, parseUrl } from '../src/index.js'

function result(rows: unknown[][], names = ['id', 'name']): Result<[number, string]> {
  nameRows(rows, names)
  return new Result(rows as never, names, rows.length)
}

describe('Result', () => {
  it('gives rows that are arrays with a property per label', () => {
    const r = result([[1, 'a'], [2, 'b']])
    const [row] = r.all()
    expect(row[1]).toBe('a')
    expect(row.name).toBe('a')
    expect(Array.isArray(row)).toBe(true)
    expect(r.keys()).toEqual(['id', 'name'])
    expect([...r].length).toBe(2)
  })

  it('first/one/oneOrNone/scalar/scalarOne follow SQLAlchemy, with undefined for no row', () => {
    const none = result([])
    expect(none.first()).toBeUndefined()
    expect(none.oneOrNone()).toBeUndefined()
    expect(none.scalar()).toBeUndefined()
    expect(isNoResultFound((() => { try { none.one() } catch (e) { return e } })())).toBe(true)
    const two = result([[1, 'a'], [2, 'b']])
    expect(isMultipleResultsFound((() => { try { two.oneOrNone() } catch (e) { return e } })())).toBe(true)
    expect(two.scalar()).toBe(1)
    expect(result([[7, null]]).scalarOne()).toBe(7)
    expect(result([[7, null]]).one().name).toBeNull()
  })

  it('scalars, mappings and partitions', () => {
    const r = result([[1, 'a'], [2, 'b'], [3, 'c']])
    expect(r.scalars().all()).toEqual([1, 2, 3])
    expect(r.scalars(1).first()).toBe('a')
    expect(r.mappings().all()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }])
    expect([...r.partitions(2)].map((p) => p.length)).toEqual([2, 1])
    expect([...r.scalars().partitions(2)]).toEqual([[1, 2], [3]])
  })

  it('unique() compares values by value (1 and 1n alike, dates by time, bytes by content) and objects by identity', () => {
    const obj = { id: 1 }
    const twin = { id: 1 }
    const rows = [[1, 'a'], [1n, 'a'], [2, 'a'], [new Date(5), new Uint8Array([1])], [new Date(5), new Uint8Array([1])], [obj, 'x'], [obj, 'x'], [twin, 'x']]
    expect(result(rows).unique().all()).toHaveLength(5)
    expect(result([[1, 'a'], [2, 'b']]).unique((r) => r.name.length).all()).toHaveLength(1)
    expect(result([[obj, 1], [obj, 2], [twin, 3]], ['o', 'n']).scalars().unique().all()).toEqual([obj, twin])
  })
})

describe('password masking', () => {
  it('masks the password in any letter case and URL-encoded, in errors down the cause chain', () => {
    const url = parseUrl('postgresql+pg://u:Pa%24%24Word@h/db')
    expect(url.maskIn('relation "pa$$word_table" and Pa%24%24Word')).toBe('relation "***_table" and ***')
    const cause = new Error('inner Pa$$Word')
    const err = Object.assign(new Error('outer pa$$word', { cause }), { sql: 'SELECT Pa$$Word' })
    url.maskError(err)
    expect(err.message).toBe('outer ***')
    expect(err.sql).toBe('SELECT ***')
    expect(cause.message).toBe('inner ***')
    expect(String(cause.stack)).not.toContain('Pa$$Word')
  })
})
