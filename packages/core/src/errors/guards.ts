import * as E from './errors.js'
import { isErrorKind } from './errors.js'

type Guard<T> = (err: unknown) => err is T
const guard = <T>(cls: { kind: string }): Guard<T> => ((err: unknown) => isErrorKind(err, cls.kind)) as Guard<T>

export const isRetortError = guard<E.RetortError>(E.RetortError)
export const isArgumentError = guard<E.ArgumentError>(E.ArgumentError)
export const isNoResultFound = guard<E.NoResultFound>(E.NoResultFound)
export const isMultipleResultsFound = guard<E.MultipleResultsFound>(E.MultipleResultsFound)
export const isDetachedInstanceError = guard<E.DetachedInstanceError>(E.DetachedInstanceError)
export const isPendingRollbackError = guard<E.PendingRollbackError>(E.PendingRollbackError)
export const isPoolTimeoutError = guard<E.PoolTimeoutError>(E.PoolTimeoutError)
export const isDriverNotInstalledError = guard<E.DriverNotInstalledError>(E.DriverNotInstalledError)
export const isUnloadedRelationshipError = guard<E.UnloadedRelationshipError>(E.UnloadedRelationshipError)
export const isExpiredAttributeError = guard<E.ExpiredAttributeError>(E.ExpiredAttributeError)
export const isConcurrentSessionUseError = guard<E.ConcurrentSessionUseError>(E.ConcurrentSessionUseError)
export const isStaleDataError = guard<E.StaleDataError>(E.StaleDataError)
export const isResourceClosedError = guard<E.ResourceClosedError>(E.ResourceClosedError)
export const isDatabaseError = guard<E.DatabaseError>(E.DatabaseError)
export const isIntegrityError = guard<E.IntegrityError>(E.IntegrityError)
export const isUniqueViolation = guard<E.UniqueViolation>(E.UniqueViolation)
export const isForeignKeyViolation = guard<E.ForeignKeyViolation>(E.ForeignKeyViolation)
export const isNotNullViolation = guard<E.NotNullViolation>(E.NotNullViolation)
export const isCheckViolation = guard<E.CheckViolation>(E.CheckViolation)
export const isOperationalError = guard<E.OperationalError>(E.OperationalError)
export const isConnectionError = guard<E.ConnectionError>(E.ConnectionError)
export const isDeadlockDetected = guard<E.DeadlockDetected>(E.DeadlockDetected)
export const isSerializationFailure = guard<E.SerializationFailure>(E.SerializationFailure)
export const isQueryCanceled = guard<E.QueryCanceled>(E.QueryCanceled)
export const isLockTimeout = guard<E.LockTimeout>(E.LockTimeout)
export const isProgrammingError = guard<E.ProgrammingError>(E.ProgrammingError)
export const isDataError = guard<E.DataError>(E.DataError)
