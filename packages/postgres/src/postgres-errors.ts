import {
  CheckViolation, ConnectionError, DataError, DatabaseError, DeadlockDetected, ForeignKeyViolation, IntegrityError, LockTimeout,
  NotNullViolation, OperationalError, ProgrammingError, QueryCanceled, type RetortError, SerializationFailure, type StatementInfo, UniqueViolation,
} from '@retort/core/dialect'

/** Socket-level codes of Node and pg's own messages when the connection is gone. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNABORTED', 'EAI_AGAIN', 'ENOENT'])
const LOST = /Connection terminated|Client has encountered a connection error|not queryable|timeout expired|does not support SSL/i

type Ctor = new (message: string, info: StatementInfo) => RetortError

/** Exact SQLSTATEs first; then the two-character class. */
const BY_CODE: Record<string, Ctor> = {
  23505: UniqueViolation, 23503: ForeignKeyViolation, 23502: NotNullViolation, 23514: CheckViolation,
  40001: SerializationFailure, '40P01': DeadlockDetected, 57014: QueryCanceled, '55P03': LockTimeout,
  // the backend was terminated or the server is shutting down / starting up / full
  '57P01': ConnectionError, '57P02': ConnectionError, '57P03': ConnectionError, '57P05': ConnectionError, 53300: ConnectionError,
}
const BY_CLASS: Record<string, Ctor> = {
  '08': ConnectionError, 28: ConnectionError, 23: IntegrityError, 22: DataError,
  42: ProgrammingError, '2B': ProgrammingError, '2D': ProgrammingError, 26: ProgrammingError, 34: ProgrammingError, '3F': ProgrammingError,
  40: OperationalError, 53: OperationalError, 54: OperationalError, 55: OperationalError, 57: OperationalError, 58: OperationalError,
}

/**
 * A pg error → Retort's tree by SQLSTATE (the driver error stays as
 * `cause`, its code as `code`); socket errors and pg's "connection
 * terminated" messages are `ConnectionError`s.
 */
export function convertPgError(err: unknown, info: StatementInfo): RetortError {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] }
  const code = typeof e.code === 'string' ? e.code : undefined
  // Node's AggregateError (every address refused) has an empty message: use its parts
  const message = e.message || e.errors?.map((x) => x.message).join('; ') || code || String(err)
  const full: StatementInfo = { ...info, code, cause: err }
  // the server ends the session after a FATAL error (terminated, idle timeout, refused login)
  if (isFatal(err)) return new ConnectionError(message, full)
  if (!code || NETWORK.has(code)) {
    return code || LOST.test(message) ? new ConnectionError(message, full) : new DatabaseError(message, full)
  }
  const Cls = BY_CODE[code] ?? BY_CLASS[code.slice(0, 2)] ?? DatabaseError
  return new Cls(message, full)
}

/** A FATAL or PANIC report: the server closed the session. */
export function isFatal(err: unknown): boolean {
  const severity = (err as { severity?: string } | null)?.severity
  return severity === 'FATAL' || severity === 'PANIC'
}
