import {
  CheckViolation, ConnectionError, DataError, DatabaseError, DeadlockDetected, ForeignKeyViolation, IntegrityError, LockTimeout,
  NotNullViolation, OperationalError, ProgrammingError, QueryCanceled, type RetortError, SerializationFailure, type StatementInfo, UniqueViolation,
} from '@retort/core/dialect'

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNABORTED'])

/** SQLSTATE → Retort's error tree. */
export function convertPgError(err: unknown, info: StatementInfo): RetortError {
  const e = err as { code?: string; message?: string }
  const code = e.code
  const msg = e.message ?? String(err)
  const full = { ...info, code, cause: err }
  if (!code || NETWORK.has(code) || /Connection terminated|Client has encountered a connection error|not queryable/i.test(msg)) {
    if (!code || NETWORK.has(code)) return new ConnectionError(msg, full)
  }
  switch (code) {
    case '23505': return new UniqueViolation(msg, full)
    case '23503': return new ForeignKeyViolation(msg, full)
    case '23502': return new NotNullViolation(msg, full)
    case '23514': return new CheckViolation(msg, full)
    case '40001': return new SerializationFailure(msg, full)
    case '40P01': return new DeadlockDetected(msg, full)
    case '57014': return new QueryCanceled(msg, full)
    case '55P03': return new LockTimeout(msg, full)
    case '57P01': case '57P02': case '57P03': return new ConnectionError(msg, full)
  }
  const cls = code!.slice(0, 2)
  switch (cls) {
    case '23': return new IntegrityError(msg, full)
    case '22': return new DataError(msg, full)
    case '08': return new ConnectionError(msg, full)
    case '42': case '2B': case '2D': case '26': case '34': case '3D': case '3F': return new ProgrammingError(msg, full)
    case '40': case '53': case '54': case '55': case '57': case '58': return new OperationalError(msg, full)
    default: return new DatabaseError(msg, full)
  }
}
