import { inspect } from 'node:util'
import {
  type StatementEvent, Integer, MetaData, Text, column, createAsyncEngine, insert, isConnectionError, isUniqueViolation, literal, select, table, text,
} from '@retort/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, poolEngine, failure } from './engine-support.js'

describe.each(BACKENDS)('events and echo on $name', ({ name }) => {
  const metadata = new MetaData()
  const things = table('eng_ev_things', {
    id: column(Integer, { primaryKey: true }),
    name: column(Text, { nullable: false, unique: true }),
  }, { metadata })
  const engine = poolEngine(name)

  beforeAll(async () => { await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) }) })
  afterAll(async () => {
    await engine.begin((c) => metadata.dropAll(c))
    await engine.dispose()
    engine.cleanup()
  })

  it('reports every statement, transaction control included, before and after, with parameters and duration', async () => {
    const before: StatementEvent[] = []
    const after: StatementEvent[] = []
    const onBefore = (e: StatementEvent): void => { before.push(e) }
    const onAfter = (e: StatementEvent): void => { after.push(e) }
    engine.events.on('beforeExecute', onBefore).on('afterExecute', onAfter)
    await engine.begin((c) => c.execute(insert(things).values({ name: 'ev-a' })))
    engine.events.off('beforeExecute', onBefore).off('afterExecute', onAfter)
    await engine.begin((c) => c.execute(insert(things).values({ name: 'ev-unseen' })))

    const sqls = before.map((e) => e.sql)
    expect(sqls[0]).toMatch(/^(BEGIN|START TRANSACTION)/)
    expect(sqls[1]).toMatch(/^INSERT INTO/)
    expect(sqls[2]).toBe('COMMIT')
    expect(sqls).toHaveLength(3)
    expect(before[1].parameters).toEqual(['ev-a'])
    expect(after.map((e) => e.sql)).toEqual(sqls)
    for (const e of after) expect(e.durationMs).toBeGreaterThanOrEqual(0)
    expect(before[1].durationMs).toBeUndefined()
  })

  it("reports a failing statement to 'error' with the typed error, and not to 'afterExecute'", async () => {
    const errors: StatementEvent[] = []
    const after: StatementEvent[] = []
    const onError = (e: StatementEvent): void => { errors.push(e) }
    const onAfter = (e: StatementEvent): void => { after.push(e) }
    engine.events.on('error', onError).on('afterExecute', onAfter)
    try {
      await engine.begin((c) => c.execute(insert(things).values({ name: 'ev-dup' })))
      const err = await failure(engine.begin((c) => c.execute(insert(things).values({ name: 'ev-dup' }))))
      expect(isUniqueViolation(err)).toBe(true)
      expect(errors).toHaveLength(1)
      expect(errors[0].error).toBe(err)
      expect(errors[0].sql).toMatch(/^INSERT INTO/)
      expect(errors[0].parameters).toEqual(['ev-dup'])
      expect(errors[0].durationMs).toBeGreaterThanOrEqual(0)
      expect(after.some((e) => e.sql === errors[0].sql && e.parameters?.[0] === 'ev-dup' && after.indexOf(e) > 3)).toBe(false)
    } finally { engine.events.off('error', onError).off('afterExecute', onAfter) }
  })

  it('echo logs each statement with its parameters to the logger; hideParameters keeps values out of logs, events and errors', async () => {
    const lines: string[] = []
    const echo = createAsyncEngine(engine.url, { echo: true, logger: (l) => lines.push(l) })
    try {
      await echo.connect((c) => c.execute(select(literal('echo-value'))))
      expect(lines[0]).toMatch(/^(BEGIN|START TRANSACTION)/)
      expect(lines[1]).toContain('SELECT')
      expect(lines[1]).toContain('"echo-value"')
      expect(lines.at(-1)).toMatch(/^ROLLBACK/)
    } finally { await echo.dispose() }

    const hidden: string[] = []
    const events: StatementEvent[] = []
    const quiet = createAsyncEngine(engine.url, { echo: true, hideParameters: true, logger: (l) => hidden.push(l) })
    quiet.events.on('beforeExecute', (e) => { events.push(e) })
    try {
      await quiet.begin((c) => c.execute(insert(things).values({ name: 'secret-value' })))
      const err = await failure(quiet.begin((c) => c.execute(insert(things).values({ name: 'secret-value' }))))
      expect(isUniqueViolation(err)).toBe(true)
      expect(err.parameters).toBeUndefined()
      expect(hidden.join('\n')).not.toContain('secret-value')
      expect(hidden.some((l) => l.includes('[parameters hidden]'))).toBe(true)
      expect(events.every((e) => e.parameters === undefined)).toBe(true)
    } finally { await quiet.dispose() }
  })

  it('skips building events when nobody listens', async () => {
    expect(engine.events.has('beforeExecute')).toBe(false)
    expect(engine.events.has('afterExecute')).toBe(false)
    expect(engine.events.has('error')).toBe(false)
    const n = await engine.connect(async (c) => (await c.execute(text('SELECT 1'))).scalar())
    expect(Number(n)).toBe(1)
  })
})

describe('the password never leaks', () => {
  const secret = 'Sup3rS3cretPw'
  const closedPort = 1

  it.each([
    ['postgresql', `postgresql+pg://postgres:${secret}@127.0.0.1:${closedPort}/test`],
    ['mariadb', `mariadb+mysql2://root:${secret}@127.0.0.1:${closedPort}/test`],
  ])('%s: a failed connect gives a ConnectionError with the URL masked in message, stack, inspect and cause', async (_name, url) => {
    const engine = createAsyncEngine(url)
    try {
      const err = await failure(engine.connect())
      expect(isConnectionError(err)).toBe(true)
      expect(err.message).toContain(':***@127.0.0.1')
      for (const text of [err.message, String(err.stack), inspect(err, { depth: 10, showHidden: true }), String(err), JSON.stringify(err)]) {
        expect(text).not.toContain(secret)
      }
      expect(inspect(engine, { depth: 10, showHidden: true })).not.toContain(secret)
      expect(String(engine.url)).toBe(url.replace(secret, '***'))
    } finally { await engine.dispose() }
  })

  it('postgresql (trust auth takes any password): echo lines, events and errors mask it', async () => {
    const lines: string[] = []
    const engine = createAsyncEngine(`postgresql+pg://postgres:${secret}@127.0.0.1:5432/test`, { echo: true, logger: (l) => lines.push(l) })
    try {
      const err = await failure(engine.connect((c) => c.execute(text(`SELECT * FROM eng_ev_no_such_table_${secret}`))))
      expect(err.message).toContain('eng_ev_no_such_table_***')
      expect(String(err.stack)).not.toContain(secret)
      await engine.connect((c) => c.execute(select(literal(secret))))
      expect(lines.join('\n')).not.toContain(secret)
      expect(lines.join('\n')).toContain('***')
    } finally { await engine.dispose() }
  })
})
