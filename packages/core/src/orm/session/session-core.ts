import type { AsyncConnection } from '../../engine/connection.js'
import type { InstanceState, StateOwner } from '../mapping/instance-state.js'
import type { IdentityMap } from './identity-map.js'

/** What one (root or savepoint) transaction did, so a rollback can undo it in memory. */
export interface TxScope {
  /** Objects inserted (given keys) in this transaction (a list: a flush appends thousands; repeats are harmless). */
  readonly inserted: InstanceState[]
  /** Objects deleted in this transaction. */
  readonly deleted: Set<InstanceState>
  /** Objects added to the session (pending) in this transaction (a list, as `inserted`). */
  readonly added: InstanceState[]
  /** Objects updated in this transaction. */
  readonly updated: Set<InstanceState>
}

export function newScope(): TxScope {
  return { inserted: [], deleted: new Set(), added: [], updated: new Set() }
}

/**
 * The session as the unit of work and the loaders see it (the public
 * AsyncSession implements it; this interface keeps them free of it).
 */
export interface SessionCore extends StateOwner {
  readonly identityMap: IdentityMap
  readonly newStates: Set<InstanceState>
  readonly dirtyStates: Set<InstanceState>
  readonly deletedStates: Set<InstanceState>
  /** The open transaction's connection (begun on first use). */
  connection(): Promise<AsyncConnection>
  /** The innermost transaction scope. */
  readonly scope: TxScope
  /** Make a state the session's (pending unless it has an identity). */
  attach(state: InstanceState): void
  /** Put a freshly persistent state into the identity map. */
  register(state: InstanceState): void
  /** Forget a state (identity map, pending sets). */
  detach(state: InstanceState): void
  autoflushEnabled: boolean
  /**
   * Whether a pending object's relationships changed since the last cascade
   * walk over the new objects (add() walks from what it adds; the flush walks
   * from every new object only when this is set).
   */
  cascadeStale: boolean
  flushNow(): Promise<void>
}
