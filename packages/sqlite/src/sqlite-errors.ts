import {
  CheckViolation, ConnectionError, DataError, DatabaseError, ForeignKeyViolation, IntegrityError, LockTimeout, NotNullViolation,
  OperationalError, ProgrammingError, QueryCanceled, type RetortError, type StatementInfo, UniqueViolation,
} from '@retort/core/dialect'

const PROGRAMMING = /syntax error|incomplete input|no such (table|column|function|index|savepoint)|already exists|has no column named|ambiguous column name|wrong number of arguments|too many SQL variables|no transaction is active/

/**
 * sqlite3 errors → Retort's tree. sqlite3 reports primary result codes only
 * (`SQLITE_CONSTRAINT`), so the kind of constraint is read from the message.
 * `SQLITE_BUSY` (another connection holds the lock past the busy timeout) and
 * `SQLITE_LOCKED` become `LockTimeout`, an `OperationalError`; a handle that is
 * closed or unusable gives `ConnectionError`, so the pool discards it.
 */
export function convertSqliteError(err: unknown, info: StatementInfo): RetortError {
  const e = err as { code?: string; message?: string }
  const code = e.code ?? 'SQLITE_ERROR'
  const msg = (e.message ?? String(err)).replace(/^SQLITE_[A-Z_]+: /, '')
  const full = { ...info, code, cause: err }
  switch (code) {
    case 'SQLITE_CONSTRAINT': return constraintError(msg, full)
    case 'SQLITE_BUSY': case 'SQLITE_LOCKED': return new LockTimeout(msg, full)
    case 'SQLITE_INTERRUPT': return new QueryCanceled(msg, full)
    case 'SQLITE_MISUSE': return /closed/i.test(msg) ? new ConnectionError(msg, full) : new ProgrammingError(msg, full)
    case 'SQLITE_CANTOPEN': case 'SQLITE_NOTADB': case 'SQLITE_CORRUPT': case 'SQLITE_IOERR': return new ConnectionError(msg, full)
    case 'SQLITE_MISMATCH': case 'SQLITE_TOOBIG': case 'SQLITE_RANGE': case 'RETORT_BIGINT_RANGE': return new DataError(msg, full)
    case 'SQLITE_ERROR': return PROGRAMMING.test(msg) ? new ProgrammingError(msg, full) : new OperationalError(msg, full)
    default: return code.startsWith('SQLITE_') ? new OperationalError(msg, full) : new DatabaseError(msg, full)
  }
}

function constraintError(msg: string, full: StatementInfo): RetortError {
  if (/^UNIQUE constraint failed/.test(msg)) return new UniqueViolation(msg, full)
  if (/FOREIGN KEY constraint failed/.test(msg)) return new ForeignKeyViolation(msg, full)
  if (/^NOT NULL constraint failed/.test(msg)) return new NotNullViolation(msg, full)
  if (/^CHECK constraint failed/.test(msg)) return new CheckViolation(msg, full)
  // STRICT tables: "cannot store TEXT value in INTEGER column t.c"
  if (/^cannot store /.test(msg)) return new DataError(msg, full)
  return new IntegrityError(msg, full)
}
