/**
 * The error tree. Every class carries a symbol-keyed set of kinds so the
 * `isXxx` guards work across two copies of core, where `instanceof` lies.
 */
const KINDS = Symbol.for('retort.error.kinds')

export interface StatementInfo {
  sql?: string
  parameters?: readonly unknown[]
  code?: string | number
  cause?: unknown
}

export class RetortError extends Error {
  static readonly kind: string = 'RetortError'
  /** SQL of the statement involved, when there was one. */
  sql?: string
  /** Bound parameters, unless the engine was created with `hideParameters`. */
  parameters?: readonly unknown[]
  /** The driver's own error code (SQLSTATE, MySQL errno, SQLite code). */
  code?: string | number
  declare readonly [KINDS]: ReadonlySet<string>

  constructor(message: string, info: StatementInfo = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause })
    this.name = new.target.kind
    if (info.sql !== undefined) this.sql = info.sql
    if (info.parameters !== undefined) this.parameters = info.parameters
    if (info.code !== undefined) this.code = info.code
    const kinds = new Set<string>()
    for (let c: any = new.target; c && c.kind; c = Object.getPrototypeOf(c)) kinds.add(c.kind)
    Object.defineProperty(this, KINDS, { value: kinds, enumerable: false })
  }
}

/** True when `err` is a Retort error of the given kind (by name), across copies of core. */
export function isErrorKind(err: unknown, kind: string): boolean {
  const kinds = (err as { [KINDS]?: ReadonlySet<string> } | null)?.[KINDS]
  return !!kinds && kinds.has(kind)
}


export class ArgumentError extends RetortError { static override readonly kind: string = 'ArgumentError' }
export class NoResultFound extends RetortError { static override readonly kind: string = 'NoResultFound' }
export class MultipleResultsFound extends RetortError { static override readonly kind: string = 'MultipleResultsFound' }
export class DetachedInstanceError extends RetortError { static override readonly kind: string = 'DetachedInstanceError' }
export class PendingRollbackError extends RetortError { static override readonly kind: string = 'PendingRollbackError' }
export class PoolTimeoutError extends RetortError { static override readonly kind: string = 'PoolTimeoutError' }
export class DriverNotInstalledError extends RetortError { static override readonly kind: string = 'DriverNotInstalledError' }
export class UnloadedRelationshipError extends RetortError { static override readonly kind: string = 'UnloadedRelationshipError' }
export class ExpiredAttributeError extends RetortError { static override readonly kind: string = 'ExpiredAttributeError' }
export class ConcurrentSessionUseError extends RetortError { static override readonly kind: string = 'ConcurrentSessionUseError' }
export class StaleDataError extends RetortError { static override readonly kind: string = 'StaleDataError' }
/** Raised when a connection is used after `engine.dispose()` or after it was closed. */
export class ResourceClosedError extends RetortError { static override readonly kind: string = 'ResourceClosedError' }

export class DatabaseError extends RetortError { static override readonly kind: string = 'DatabaseError' }
export class IntegrityError extends DatabaseError { static override readonly kind: string = 'IntegrityError' }
export class UniqueViolation extends IntegrityError { static override readonly kind: string = 'UniqueViolation' }
export class ForeignKeyViolation extends IntegrityError { static override readonly kind: string = 'ForeignKeyViolation' }
export class NotNullViolation extends IntegrityError { static override readonly kind: string = 'NotNullViolation' }
export class CheckViolation extends IntegrityError { static override readonly kind: string = 'CheckViolation' }
export class OperationalError extends DatabaseError { static override readonly kind: string = 'OperationalError' }
export class ConnectionError extends OperationalError { static override readonly kind: string = 'ConnectionError' }
export class DeadlockDetected extends OperationalError { static override readonly kind: string = 'DeadlockDetected' }
export class SerializationFailure extends OperationalError { static override readonly kind: string = 'SerializationFailure' }
export class QueryCanceled extends OperationalError { static override readonly kind: string = 'QueryCanceled' }
export class LockTimeout extends OperationalError { static override readonly kind: string = 'LockTimeout' }
export class ProgrammingError extends DatabaseError { static override readonly kind: string = 'ProgrammingError' }
export class DataError extends DatabaseError { static override readonly kind: string = 'DataError' }

