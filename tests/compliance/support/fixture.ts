import type { AsyncEngine, MetaData, Node, Result } from '@retort/core'
import { afterAll, beforeAll, expect } from 'vitest'
import { type BackendName, makeEngine } from '../../support/backends.js'
import { type ExpectedSql, compiled, expectedSql } from './compiled.js'

/** Plain arrays of a result's rows (rows also carry named properties; compare positions only). */
export function plain(result: Result<any>): unknown[][] {
  return result.all().map((r) => [...r])
}

/** One backend's engine for a test file, with the file's tables created before and dropped after. */
export interface Backend {
  readonly name: BackendName
  readonly engine: AsyncEngine
  /** Check the compiled `{ sql, parameters }`, run the statement, and return its result. */
  check(stmt: Node, sql: ExpectedSql, parameters: unknown[], params?: Record<string, unknown>): Promise<Result<any>>
  /** Run a statement in its own committed transaction. */
  run(stmt: Node, params?: Record<string, unknown>): Promise<Result<any>>
  /** Run a statement and return its rows as plain arrays. */
  rows(stmt: Node, params?: Record<string, unknown>): Promise<unknown[][]>
}

/** Create the engine and tables of one test file for one backend; `seed` fills them. */
export function useBackend(name: BackendName, metadata: MetaData, seed?: (b: Backend) => Promise<void>): Backend {
  const engine = makeEngine(name)
  const run = (stmt: Node, params?: Record<string, unknown>) => engine.begin((conn) => conn.execute(stmt, params))
  const b: Backend = {
    name,
    engine,
    run,
    async rows(stmt, params) { return plain(await run(stmt, params)) },
    async check(stmt, sql, parameters, params) {
      await engine.connect(async () => undefined) // resolves the dialect so compile works
      expect(compiled(engine, stmt, params)).toEqual({ sql: expectedSql(name, sql), parameters })
      return run(stmt, params)
    },
  }
  beforeAll(async () => {
    await engine.begin(async (conn) => { await metadata.dropAll(conn); await metadata.createAll(conn) })
    if (seed) await seed(b)
  })
  afterAll(async () => {
    await engine.begin((conn) => metadata.dropAll(conn))
    await engine.dispose()
  })
  return b
}
