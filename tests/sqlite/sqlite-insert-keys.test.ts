import {
  type AsyncEngine, BigInteger, Integer, MetaData, Model, type StatementEvent, Text, column, createAsyncEngine, insert, select,
  sessionmaker, table, text,
} from '@retort/core'
import '@retort/sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

/**
 * Large multi-row INSERTs on SQLite read their keys from the rowid range
 * they filled (a probe before, a check after) instead of RETURNING, which
 * sqlite3 makes cost more than the INSERT itself. Small batches and tables
 * that do not qualify (a trigger, a key that is not the rowid) keep RETURNING.
 */
const metadata = new MetaData()
const things = table('ik_things', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
}, { metadata })
const bigs = table('ik_bigs', {
  id: column(BigInteger, { primaryKey: true }),
  name: column(Text, { nullable: false }),
}, { metadata })
class Note extends Model('ik_notes', {
  id: column(Integer, { primaryKey: true }),
  body: column(Text, { nullable: false }),
}, { metadata }) {}

const names = (n: number, tag: string): { name: string }[] => Array.from({ length: n }, (_, i) => ({ name: `${tag}-${i}` }))

describe('SQLite: keys of large INSERT batches from the rowid range', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retort-ik-'))
  const engine: AsyncEngine = createAsyncEngine(`sqlite+sqlite3:///${join(dir, 'ik.db')}`)
  const seen: string[] = []
  const spy = (e: StatementEvent): void => { if (!/^(BEGIN|COMMIT|ROLLBACK)/.test(e.sql)) seen.push(e.sql) }

  beforeAll(async () => {
    await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) })
    engine.events.on('beforeExecute', spy)
  })
  beforeEach(() => { seen.length = 0 })
  afterAll(async () => {
    engine.events.off('beforeExecute', spy)
    await engine.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Each returned key is the key of the row with that input's name. */
  async function expectKeysMatch(tbl: typeof things | typeof bigs, input: { name: string }[], keys: unknown[]): Promise<void> {
    expect(keys).toHaveLength(input.length)
    const stored = await engine.connect(async (c) => (await c.execute(select(tbl.c.id, tbl.c.name))).all())
    const byKey = new Map(stored.map((r) => [String(r[0]), r[1]]))
    input.forEach((row, i) => expect(byKey.get(String(keys[i]))).toBe(row.name))
    expect(new Set(keys.map(String)).size).toBe(keys.length)
  }

  it('a batch of 500 rows: probe, INSERT without RETURNING, check; keys in input order', async () => {
    const rows = names(500, 'a')
    const res = await engine.begin((c) => c.executeInsertMany(insert(things).returning(things.c.id), rows, { sentinel: 'autoincrement' }))
    expect(seen).toHaveLength(3)
    expect(seen[0]).toMatch(/^SELECT max\("id"\)/)
    expect(seen[1]).toMatch(/^INSERT INTO "ik_things" \("name"\) VALUES \(\?\), /)
    expect(seen[1]).not.toMatch(/RETURNING/)
    expect(seen[2]).toBe('SELECT min("id") FROM "ik_things" WHERE "id" > ?')
    expect(res.rowCount).toBe(500)
    await expectKeysMatch(things, rows, res.all().map((r) => r.id))
  })

  it('after the newest rows were deleted (AUTOINCREMENT keeps counting above them), keys still match', async () => {
    const first = names(300, 'b')
    await engine.begin((c) => c.executeInsertMany(insert(things).returning(things.c.id), first, { sentinel: 'autoincrement' }))
    await engine.begin((c) => c.execute(text("DELETE FROM ik_things WHERE name LIKE 'b-%'")))
    const rows = names(300, 'c')
    const res = await engine.begin((c) => c.executeInsertMany(insert(things).returning(things.c.id), rows, { sentinel: 'autoincrement' }))
    const keys = res.all().map((r) => r.id as number)
    const max = (await engine.connect((c) => c.execute(text('SELECT max(id) FROM ik_things')))).all()[0][0] as number
    expect(keys[0]).toBe(max - 299) // above the deleted rows' keys, not right after the surviving ones
    expect(seen.some((s) => /RETURNING/.test(s))).toBe(false)
    await expectKeysMatch(things, rows, keys)
  })

  it('small batches keep RETURNING (two extra statements would cost more than they save)', async () => {
    const rows = names(20, 'd')
    const res = await engine.begin((c) => c.executeInsertMany(insert(things).returning(things.c.id), rows, { sentinel: 'autoincrement' }))
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatch(/RETURNING "ik_things"."id"$/)
    await expectKeysMatch(things, rows, res.all().map((r) => r.id))
  })

  it('a table with a trigger that writes it is not probed further: RETURNING', async () => {
    await engine.begin((c) => c.execute(text(
      "CREATE TRIGGER ik_things_echo AFTER INSERT ON ik_things WHEN NEW.name LIKE 'e-%' BEGIN INSERT INTO ik_things (name) VALUES ('echo of ' || NEW.name); END")))
    seen.length = 0
    try {
      const rows = names(200, 'e')
      const res = await engine.begin((c) => c.executeInsertMany(insert(things).returning(things.c.id), rows, { sentinel: 'autoincrement' }))
      expect(seen.filter((s) => s.startsWith('INSERT'))).toHaveLength(1)
      expect(seen.find((s) => s.startsWith('INSERT'))).toMatch(/RETURNING/)
      await expectKeysMatch(things, rows, res.all().map((r) => r.id))
    } finally {
      await engine.begin((c) => c.execute(text('DROP TRIGGER ik_things_echo')))
    }
  })

  it('keys near 2^52 (past what a double holds exactly for long) keep RETURNING', async () => {
    await engine.begin((c) => c.execute(insert(things).values({ id: 2 ** 52 + 1, name: 'high' })))
    seen.length = 0
    try {
      const rows = names(150, 'f')
      const res = await engine.begin((c) => c.executeInsertMany(insert(things).returning(things.c.id), rows, { sentinel: 'autoincrement' }))
      expect(seen.find((s) => s.startsWith('INSERT'))).toMatch(/RETURNING/)
      await expectKeysMatch(things, rows, res.all().map((r) => r.id))
    } finally {
      await engine.begin((c) => c.execute(text("DELETE FROM ik_things WHERE name = 'high'")))
    }
  })

  it('BigInteger keys come back as bigint', async () => {
    const rows = names(250, 'g')
    const res = await engine.begin((c) => c.executeInsertMany(insert(bigs).returning(bigs.c.id), rows, { sentinel: 'autoincrement' }))
    const keys = res.all().map((r) => r.id)
    expect(typeof keys[0]).toBe('bigint')
    expect(seen.some((s) => /RETURNING/.test(s))).toBe(false)
    await expectKeysMatch(bigs, rows, keys)
  })

  it('an ORM flush of 400 new objects: every object gets its own row key', async () => {
    const Session = sessionmaker(engine, { expireOnCommit: false })
    const notes = Array.from({ length: 400 }, (_, i) => new Note({ body: `note ${i}` }))
    await Session.begin(async (s) => { s.addAll(notes) })
    expect(seen.some((s) => s.startsWith('INSERT') && /RETURNING/.test(s))).toBe(false)
    const stored = await engine.connect(async (c) => (await c.execute(select(Note.c.id, Note.c.body))).all())
    const byId = new Map(stored.map((r) => [r[0], r[1]]))
    for (const n of notes) expect(byId.get(n.id)).toBe(n.body)
    expect(new Set(notes.map((n) => n.id)).size).toBe(400)
  })
})
