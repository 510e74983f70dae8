import { Integer, MetaData, Text, column, insert, isProgrammingError, select, table, text } from '@retort/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failure, mariadb } from './mysql-support.js'

const metadata = new MetaData()
const notes = table('myx_esc_notes', { id: column(Integer, { primaryKey: true }), body: column(Text) }, { metadata })
const NASTY = ["a'b", "x\\' OR 1=1 -- ", 'back\\slash', 'quote"d', 'nul\0byte', 'tab\tnew\nline', "'; DROP TABLE myx_esc_notes; --"]

describe('MariaDB client-side binding stays safe', () => {
  const engine = mariadb()
  beforeAll(() => engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }))
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await engine.dispose()
  })

  it('values with quotes, backslashes and control characters round-trip as data', async () => {
    await engine.begin(async (c) => {
      await c.execute(insert(notes).values(NASTY.map((body, i) => ({ id: i + 1, body }))))
      const back = await c.execute(select(notes.c.body).orderBy(notes.c.id))
      expect(back.scalars().all()).toEqual(NASTY)
      expect((await c.execute(select(notes.c.id).where(notes.c.body.eq("x\\' OR 1=1 -- ")))).scalars().all()).toEqual([2])
    })
  })

  it('NO_BACKSLASH_ESCAPES set later in the session: unsafe values are refused, never injected', async () => {
    await engine.connect(async (c) => {
      await c.execute(text("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')"))
      const err = await failure(c.execute(select(notes.c.id).where(notes.c.body.eq("x\\' OR 1=1 -- "))))
      expect(isProgrammingError(err)).toBe(true)
      expect(err.message).toMatch(/NO_BACKSLASH_ESCAPES/)
      // values that need no escaping still work
      expect((await c.execute(select(notes.c.body).where(notes.c.id.eq(1)))).scalar()).toBe("a'b")
      await c.execute(text("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')"))
      expect((await c.execute(select(notes.c.id).where(notes.c.body.eq("back\\slash")))).scalar()).toBe(3)
      await c.rollback()
    })
  })

  it('a server (or onConnect) default of NO_BACKSLASH_ESCAPES is switched off for the session', async () => {
    const e = mariadb({
      poolSize: 1,
      onConnect: (raw) => new Promise<void>((resolve, reject) => {
        (raw as any).query("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'", (err: Error | null) => (err ? reject(err) : resolve()))
      }),
    })
    try {
      await e.connect(async (c) => {
        const mode = String((await c.execute(text('SELECT @@SESSION.sql_mode'))).scalar())
        expect(mode).not.toMatch(/NO_BACKSLASH_ESCAPES/)
        expect(mode).toMatch(/STRICT_TRANS_TABLES/)
        expect((await c.execute(select(notes.c.id).where(notes.c.body.eq("x\\' OR 1=1 -- ")))).scalars().all()).toEqual([2])
      })
    } finally { await e.dispose() }
  })
})
