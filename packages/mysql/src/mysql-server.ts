import type { DriverResult } from '@retort/core/dialect'

/** What the dialect learns from the server on its first connection. */
export interface ServerInfo {
  /** `VERSION()`, e.g. `10.11.6-MariaDB-0+deb12u1` or `8.0.36`. */
  readonly version: string
  readonly isMariaDB: boolean
  /** `[major, minor, patch]`. */
  readonly versionInfo: readonly [number, number, number]
  /** INSERT/DELETE ... RETURNING: MariaDB ≥ 10.5; MySQL has none. */
  readonly hasReturning: boolean
  /** INTERSECT/EXCEPT: MariaDB ≥ 10.3, MySQL ≥ 8.0.31. */
  readonly hasIntersectExcept: boolean
  /** `innodb_autoinc_lock_mode`: 2 (interleaved) gives one multi-row INSERT non-consecutive ids. */
  readonly autoincLockMode: number
  /** `auto_increment_increment`: the step between generated ids. */
  readonly autoIncrementIncrement: number
}

/** Parse `VERSION()` into what the dialect needs to know. */
export function parseServerVersion(version: string): Pick<ServerInfo, 'version' | 'isMariaDB' | 'versionInfo' | 'hasReturning' | 'hasIntersectExcept'> {
  // a MariaDB behind a MySQL 5.5 protocol prefix reports `5.5.5-10.11.6-MariaDB`
  const isMariaDB = /mariadb/i.test(version)
  const digits = (isMariaDB ? version.replace(/^5\.5\.5-/, '') : version).match(/^(\d+)\.(\d+)\.(\d+)/)
  const v: [number, number, number] = digits ? [Number(digits[1]), Number(digits[2]), Number(digits[3])] : [0, 0, 0]
  const atLeast = (a: number, b: number, c = 0): boolean => v[0] !== a ? v[0] > a : v[1] !== b ? v[1] > b : v[2] >= c
  return {
    version, isMariaDB, versionInfo: v,
    hasReturning: isMariaDB && atLeast(10, 5),
    hasIntersectExcept: isMariaDB ? atLeast(10, 3) : atLeast(8, 0, 31),
  }
}

/** Ask the server for its version and auto-increment settings (one round trip). */
export async function detectServer(conn: { serverQuery(sql: string): Promise<DriverResult> }): Promise<ServerInfo> {
  const r = await conn.serverQuery('SELECT VERSION(), @@innodb_autoinc_lock_mode, @@auto_increment_increment')
  const [version, lockMode, increment] = r.rows[0]
  return { ...parseServerVersion(String(version)), autoincLockMode: Number(lockMode ?? 1), autoIncrementIncrement: Number(increment ?? 1) }
}
