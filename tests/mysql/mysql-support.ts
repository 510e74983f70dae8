import { type AsyncConnection, type AsyncEngine, type EngineOptions, text } from '@retort/core'
import { makeEngine } from '../support/backends.js'

/** A MariaDB engine for the driver tests in this folder. */
export function mariadb(options: EngineOptions = {}): AsyncEngine {
  return makeEngine('mariadb', options)
}

/** The server's id of the connection behind `conn`. */
export async function threadId(conn: AsyncConnection): Promise<number> {
  return Number((await conn.execute(text('SELECT CONNECTION_ID()'))).scalar())
}

/** Run `KILL QUERY|CONNECTION id` from a connection of `engine`. */
export async function kill(engine: AsyncEngine, what: 'QUERY' | 'CONNECTION', id: number): Promise<void> {
  await engine.connect((c) => c.execute(text(`KILL ${what} :id`), { id }))
}

/** The rejection of `p` (fails the test when `p` resolves). */
export async function failure(p: Promise<unknown>): Promise<any> {
  try { await p } catch (err) { return err }
  throw new Error('expected the promise to reject')
}

/** Statements of `id` in the server's process list. */
export async function processInfo(engine: AsyncEngine, id: number): Promise<{ command: string; info: string | null } | undefined> {
  const r = await engine.connect((c) => c.execute(text('SELECT COMMAND, INFO FROM information_schema.PROCESSLIST WHERE ID = :id'), { id }))
  const row = r.first()
  return row && { command: String(row[0]), info: row[1] === null ? null : String(row[1]) }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
