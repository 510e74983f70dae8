import { describe, expect, it } from 'vitest'
import { type Dialect, type DriverConnection, SqlCompiler, createAsyncEngine, isConnectionError, ConnectionError } from '../src/index.js'

function fakeDialect(hooks: { connect?: () => void; initialize?: () => void } = {}) {
  const opened: { closed: boolean }[] = []
  const dialect = {
    name: 'fake', driver: 'fake', supportsReturning: false, supportsUpdateReturning: false, supportsMultiRowInsert: true,
    supportsSavepoints: true, supportsAlterForeignKeys: true, supportsIntersectExcept: true, supportsNativeEnum: false,
    maxBindParams: 100, tableNamesSql: '',
    createCompiler: () => new SqlCompiler(),
    async connect(): Promise<DriverConnection> {
      hooks.connect?.()
      const state = { closed: false }
      opened.push(state)
      return {
        broken: false, raw: state,
        async query() { return { rows: [], columns: [], rowCount: 0 } },
        async *stream() {}, async cancel() {}, async ping() {},
        async close() { state.closed = true },
      }
    },
    async initialize() { hooks.initialize?.() },
    convertError: (err: unknown) => new ConnectionError(String((err as Error).message), { cause: err }),
    bindProcessor: () => undefined, resultProcessor: () => undefined, beginStatements: () => ['BEGIN'],
  } satisfies Dialect
  return { dialect, opened }
}

describe('opening connections', () => {
  it('retries a failed dialect initialize on the next connection, and closes the failed one', async () => {
    let fail = true
    const { dialect, opened } = fakeDialect({ initialize: () => { if (fail) { fail = false; throw new Error('init failed') } } })
    const engine = createAsyncEngine('fake://', { dialect })
    await expect(engine.connect()).rejects.toThrow('init failed')
    expect(opened[0].closed).toBe(true)
    await engine.connect(async () => {})
    expect(engine.pool.status()).toMatchObject({ checkedIn: 1, checkedOut: 0 })
  })

  it('an onConnect that throws closes the new connection and frees its slot', async () => {
    let calls = 0
    const { dialect, opened } = fakeDialect()
    const engine = createAsyncEngine('fake://', { dialect, poolSize: 1, maxOverflow: 0, poolTimeout: 100, onConnect: () => { if (++calls === 1) throw new Error('hook failed') } })
    await expect(engine.connect()).rejects.toThrow('hook failed')
    expect(opened[0].closed).toBe(true)
    await engine.connect(async () => {})
    expect(calls).toBe(2)
  })

  it('a refused connect names the URL with the password masked', async () => {
    const { dialect } = fakeDialect({ connect: () => { throw new Error('refused for hunter2secret') } })
    const engine = createAsyncEngine('fake://me:hunter2secret@db.example:5/x', { dialect })
    const err = await engine.connect().then(() => new Error('expected a refusal'), (e: unknown) => e as Error)
    expect(isConnectionError(err)).toBe(true)
    expect(err.message).toBe('Could not connect to fake://me:***@db.example:5/x: refused for ***')
    expect(String(err.stack)).not.toContain('hunter2secret')
    expect(String((err.cause as Error).message)).not.toContain('hunter2secret')
  })
})
