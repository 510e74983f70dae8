import {
  CheckViolation, ConnectionError, DataError, DatabaseError, DeadlockDetected, ForeignKeyViolation, IntegrityError, LockTimeout,
  NotNullViolation, OperationalError, ProgrammingError, QueryCanceled, type RetortError, type StatementInfo, UniqueViolation,
} from '@retort/core/dialect'

const CONNECTION_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'ER_CON_COUNT_ERROR'])

/** MySQL/MariaDB errno → Retort's error tree. */
export function convertMysqlError(err: unknown, info: StatementInfo): RetortError {
  const e = err as { errno?: number; code?: string; message?: string; fatal?: boolean }
  const msg = e.message ?? String(err)
  const code = e.errno ?? e.code
  const full = { ...info, code, cause: err }
  switch (e.errno) {
    case 1062: case 1586: return new UniqueViolation(msg, full)
    case 1451: case 1452: case 1216: case 1217: return new ForeignKeyViolation(msg, full)
    case 1048: case 1364: return new NotNullViolation(msg, full)
    case 3819: case 4025: return new CheckViolation(msg, full)
    case 1213: return new DeadlockDetected(msg, full)
    case 1205: return new LockTimeout(msg, full)
    case 1317: case 3024: case 1969: return new QueryCanceled(msg, full)
    case 2006: case 2013: case 1927: case 4031: case 1053: return new ConnectionError(msg, full)
    case 1146: case 1064: case 1054: case 1050: case 1051: case 1049: case 1044: case 1045: return new ProgrammingError(msg, full)
    case 1264: case 1265: case 1292: case 1366: case 1406: case 1690: case 3140: return new DataError(msg, full)
    case 1169: case 1557: return new IntegrityError(msg, full)
  }
  if (e.fatal || (typeof e.code === 'string' && CONNECTION_CODES.has(e.code))) return new ConnectionError(msg, full)
  if (e.errno && e.errno >= 1000 && e.errno < 2000) return new OperationalError(msg, full)
  return new DatabaseError(msg, full)
}
