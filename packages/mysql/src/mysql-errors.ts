import {
  CheckViolation, ConnectionError, DataError, DatabaseError, DeadlockDetected, ForeignKeyViolation, IntegrityError, LockTimeout,
  NotNullViolation, OperationalError, ProgrammingError, QueryCanceled, type RetortError, SerializationFailure, type StatementInfo,
  UniqueViolation,
} from '@retort/core/dialect'
import type { MysqlError } from './mysql-driver-types.js'

type ErrorClass = new (message: string, info: StatementInfo) => RetortError

/** Server errnos whose SQLSTATE is too coarse (many are HY000 or 23000). */
const BY_ERRNO: Record<number, ErrorClass> = {
  1062: UniqueViolation, 1586: UniqueViolation, // ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME
  1451: ForeignKeyViolation, 1452: ForeignKeyViolation, 1216: ForeignKeyViolation, 1217: ForeignKeyViolation,
  1048: NotNullViolation, 1364: NotNullViolation, // ER_BAD_NULL_ERROR, ER_NO_DEFAULT_FOR_FIELD
  3819: CheckViolation, 4025: CheckViolation, // MySQL 8, MariaDB ER_CONSTRAINT_FAILED
  1213: DeadlockDetected, // its SQLSTATE is 40001, but it is a deadlock
  1205: LockTimeout,
  1317: QueryCanceled, 3024: QueryCanceled, 1969: QueryCanceled, // interrupted, max_execution_time, max_statement_time
  1927: ConnectionError, 4031: ConnectionError, 1053: ConnectionError, 1040: ConnectionError, // killed, idle timeout, shutdown, too many
  2002: ConnectionError, 2003: ConnectionError, 2006: ConnectionError, 2013: ConnectionError, 2055: ConnectionError,
  1045: OperationalError, // access denied (a failed login, as SQLAlchemy has it)
  1146: ProgrammingError, 1054: ProgrammingError, 1064: ProgrammingError, 1050: ProgrammingError, 1051: ProgrammingError,
  1264: DataError, 1265: DataError, 1292: DataError, 1366: DataError, 1406: DataError, 1690: DataError, 3140: DataError,
}

/** mysql2's own (client-side) codes for a connection that could not be used. */
const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'PROTOCOL_ENQUEUE_AFTER_QUIT', 'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENOENT', 'ER_CON_COUNT_ERROR',
])

/** SQLSTATE class → error class, for every errno not listed above. */
function bySqlState(state: string | undefined): ErrorClass | undefined {
  if (!state) return undefined
  if (state === '40001') return SerializationFailure
  if (state === '70100') return QueryCanceled
  switch (state.slice(0, 2)) {
    case '23': return IntegrityError
    case '22': return DataError
    case '42': return ProgrammingError
    case '08': return ConnectionError
    case '40': return OperationalError
  }
  return undefined
}

/**
 * MySQL/MariaDB error → Retort's tree: by errno first, then by SQLSTATE
 * class, then by mysql2's client code. `code` is the errno (or mysql2's
 * code for client-side errors); the driver error is `cause`.
 */
export function convertMysqlError(err: unknown, info: StatementInfo): RetortError {
  const e = (err ?? {}) as MysqlError
  const message = e.message ?? String(err)
  const full: StatementInfo = { ...info, code: e.errno ?? e.code, cause: err }
  const cls = (e.errno !== undefined ? BY_ERRNO[e.errno] : undefined) ?? bySqlState(e.sqlState)
  if (cls) return new cls(message, full)
  if (e.fatal || (e.code !== undefined && CONNECTION_CODES.has(e.code))) return new ConnectionError(message, full)
  if (e.errno !== undefined && e.errno >= 1000 && e.errno < 2000) return new OperationalError(message, full)
  return new DatabaseError(message, full)
}
