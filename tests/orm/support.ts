import type { AsyncEngine, MetaData, StatementEvent } from '@retort/core'

/** Collect the SQL statements an engine runs (for exact statement-order assertions). */
export function recordStatements(engine: AsyncEngine): { sql: string[]; params: (readonly unknown[] | undefined)[]; clear(): void; stop(): void; dml(): string[] } {
  const sql: string[] = []
  const params: (readonly unknown[] | undefined)[] = []
  const fn = (e: StatementEvent): void => { sql.push(e.sql); params.push(e.parameters) }
  engine.events.on('beforeExecute', fn)
  return {
    sql,
    params,
    clear() { sql.length = 0; params.length = 0 },
    stop() { engine.events.off('beforeExecute', fn) },
    /** Statements other than transaction control, with identifiers unquoted. */
    dml() { return sql.filter((s) => !/^(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(s)).map(unquote) },
  }
}

/** SQL with identifier quotes removed and placeholders made `?` (compare across backends). */
export function unquote(sql: string): string {
  return sql.replace(/[`"]/g, '').replace(/\$\d+/g, '?')
}

/** Drop and create the metadata's tables. */
export async function resetSchema(engine: AsyncEngine, metadata: MetaData): Promise<void> {
  await engine.begin(async (conn) => { await metadata.dropAll(conn); await metadata.createAll(conn) })
}

/** Drop the metadata's tables and dispose of the engine. */
export async function dropSchema(engine: AsyncEngine, metadata: MetaData): Promise<void> {
  await engine.begin((conn) => metadata.dropAll(conn))
  await engine.dispose()
}
