import { describe, expect, it } from 'vitest'
import { createAsyncEngine, isArgumentError } from '../src/index.js'

describe('engine options', () => {
  it('normalizes isolation levels and refuses unknown ones (they are written into SQL)', () => {
    expect(createAsyncEngine('sqlite://', { isolationLevel: 'read_committed' }).options.isolationLevel).toBe('READ COMMITTED')
    expect(createAsyncEngine('sqlite://', { isolationLevel: 'autocommit' }).options.isolationLevel).toBe('AUTOCOMMIT')
    let err: unknown
    try { createAsyncEngine('sqlite://', { isolationLevel: 'SERIALIZABLE; DROP TABLE users' }) } catch (e) { err = e }
    expect(isArgumentError(err)).toBe(true)
  })

  it('has the documented defaults, and reports an empty pool before the first connect', () => {
    const engine = createAsyncEngine('postgresql+pg://u@h/db')
    expect(engine.options).toMatchObject({ poolSize: 5, maxOverflow: 10, poolTimeout: 30_000, poolPrePing: false, poolRecycle: -1, echo: false, hideParameters: false })
    expect(engine.pool.status()).toEqual({ size: 5, checkedIn: 0, checkedOut: 0, overflow: 0 })
    expect(engine.cacheStats()).toEqual({ compilations: 0, hits: 0, size: 0 })
  })
})
