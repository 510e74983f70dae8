import { createAsyncEngine, text } from '@retort/core'
import '@retort/sqlite'
import sqlite3 from 'sqlite3'
import { afterAll, describe, expect, it } from 'vitest'

/** What sqlite3 itself gives for `sql`: its object rows, values in key order. */
function rawValues(sql: string): Promise<{ keys: string[]; rows: unknown[][] }> {
  const db = new sqlite3.Database(':memory:')
  return new Promise((resolve, reject) => db.all(sql, [], (err, rows: Record<string, unknown>[]) => {
    db.close()
    if (err) reject(err)
    else resolve({ keys: rows.length ? Object.keys(rows[0]) : [], rows: rows.map((r) => Object.values(r)) })
  }))
}

describe('SQLite rows as positional arrays (generated per column list)', () => {
  const engine = createAsyncEngine('sqlite+sqlite3://:memory:')
  afterAll(() => engine.dispose())

  it.each([
    ['plain names', `SELECT 1 AS id, 'a' AS name, 2.5 AS price, NULL AS gone UNION ALL SELECT 2, 'b', NULL, x'00ff'`],
    ['names to escape', `SELECT 1 AS "a""b", 2 AS "x\\y", 3 AS "line
break", 4 AS "it's"`],
    ['integer-like names (ordered first by the object)', `SELECT 1 AS z, 2 AS "1", 3 AS "0", 4 AS a`],
    ['a __proto__ column', `SELECT 1 AS a, 2 AS "__proto__", 3 AS b`],
    ['duplicate names', `SELECT 1 AS a, 2 AS a, 3 AS b`],
  ])('%s: the same cells and names as the driver gives', async (_, sql) => {
    const raw = await rawValues(sql)
    const res = await engine.connect((c) => c.execute(text(sql)))
    expect(res.keys()).toEqual(raw.keys)
    expect(res.rows.map((r) => [...r])).toEqual(raw.rows)
    const again = await engine.connect((c) => c.execute(text(sql)))
    expect(again.rows.map((r) => [...r])).toEqual(raw.rows)
  })

  it('a RETURNING result of 10k rows keeps the driver order and values', async () => {
    await engine.connect(async (c) => {
      await c.execute(text('CREATE TABLE ra (id INTEGER PRIMARY KEY, v TEXT)'))
      const values = Array.from({ length: 10_000 }, (_, i) => `('v${i}')`).join(', ')
      const res = await c.execute(text(`INSERT INTO ra (v) VALUES ${values} RETURNING id, v`))
      expect(res.rows).toHaveLength(10_000)
      expect(res.rows[9999][1]).toBe('v9999')
      expect(res.scalars().all()).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1))
      await c.rollback()
    })
  })
})
