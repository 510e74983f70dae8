import {
  CheckViolation, ConnectionError, DataError, DatabaseError, ForeignKeyViolation, IntegrityError, LockTimeout, NotNullViolation,
  OperationalError, ProgrammingError, QueryCanceled, type RetortError, type StatementInfo, UniqueViolation,
} from '@retort/core/dialect'

/**
 * sqlite3 reports primary result codes only (`SQLITE_CONSTRAINT`), so the
 * constraint kind is read from the message.
 */
export function convertSqliteError(err: unknown, info: StatementInfo): RetortError {
  const e = err as { code?: string; errno?: number; message?: string }
  const code = e.code ?? 'SQLITE_ERROR'
  const msg = (e.message ?? String(err)).replace(/^SQLITE_[A-Z]+: /, '')
  const full = { ...info, code, cause: err }
  switch (code) {
    case 'SQLITE_CONSTRAINT':
      if (/^UNIQUE constraint failed/.test(msg)) return new UniqueViolation(msg, full)
      if (/FOREIGN KEY constraint failed/.test(msg)) return new ForeignKeyViolation(msg, full)
      if (/^NOT NULL constraint failed/.test(msg)) return new NotNullViolation(msg, full)
      if (/^CHECK constraint failed/.test(msg)) return new CheckViolation(msg, full)
      return new IntegrityError(msg, full)
    case 'SQLITE_BUSY': case 'SQLITE_LOCKED': return new LockTimeout(msg, full)
    case 'SQLITE_INTERRUPT': return new QueryCanceled(msg, full)
    case 'SQLITE_CANTOPEN': case 'SQLITE_NOTADB': case 'SQLITE_MISUSE': return new ConnectionError(msg, full)
    case 'SQLITE_MISMATCH': case 'SQLITE_TOOBIG': case 'SQLITE_RANGE': return new DataError(msg, full)
    case 'SQLITE_ERROR': return /syntax error|no such (table|column)|already exists/.test(msg) ? new ProgrammingError(msg, full) : new OperationalError(msg, full)
    default: return code.startsWith('SQLITE_') ? new OperationalError(msg, full) : new DatabaseError(msg, full)
  }
}
