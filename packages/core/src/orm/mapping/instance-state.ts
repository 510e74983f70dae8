import type { Mapper } from './mapper.js'
import { STATE } from './state-symbols.js'

/** Where an object stands with respect to a session (SQLAlchemy's object states). */
export type ObjectStatus = 'transient' | 'pending' | 'persistent' | 'deleted' | 'detached'

/** What instrumentation calls back into; implemented by the session. */
export interface StateOwner {
  /**
   * An attribute of a persistent object changed: remember it for the next
   * flush. (For a pending object: one of its relationships changed, so the
   * flush walks the save-update cascades of the new objects again.)
   */
  markDirty(state: InstanceState): void
  /** A related object was attached through a cascading relationship: add it too. */
  cascadeAdd(obj: object, state: InstanceState): void
  /** Whether a read should explain "expired" (true) or "detached" (false). */
  readonly isOpen: boolean
  /** The object with this identity key in the owner's identity map (no I/O). */
  lookup(mapper: Mapper, key: string): object | undefined
  /** Load an unloaded relationship (`obj.awaitable.orders`). */
  loadRelationship(obj: object, key: string): Promise<unknown>
}

/** Stands in `committed` for an attribute that was set without having been loaded. */
export const NOT_LOADED: unique symbol = Symbol('retort.notLoaded')

/** Per-collection changes since the last flush. */
export interface CollectionChanges { added: Set<object>; removed: Set<object> }

/**
 * The ORM's per-object state, kept in a symbol slot on the object.
 * `dict` holds loaded attribute values: a key missing from it is unloaded
 * (never loaded, or expired). `committed` keeps the value an attribute had
 * when loaded, for attributes changed since.
 */
export class InstanceState {
  dict: Record<string, unknown>
  committed: Record<string, unknown> | undefined = undefined
  owner: StateOwner | undefined = undefined
  status: ObjectStatus
  /** Identity-map key, once the primary key is known in a session. */
  identityKey: string | undefined = undefined
  /** Attributes marked changed by `flagModified` (in-place edits). */
  flagged: Set<string> | undefined = undefined
  collectionChanges: Map<string, CollectionChanges> | undefined = undefined
  /**
   * Attributes whose values the database generated (or a flush synced) in
   * the open transaction: one key as a string (no array per inserted object), several as an array.
   */
  generated: string | string[] | undefined = undefined
  /** @internal The walk that saw this state last (cascade walks mark states instead of keeping a Set). */
  visit = 0

  constructor(readonly mapper: Mapper, readonly obj: object, dict: Record<string, unknown>, status: ObjectStatus) {
    this.dict = dict
    this.status = status
  }

  /** Whether the object has a row in the database (as far as this session knows). */
  get hasIdentity(): boolean { return this.identityKey !== undefined }

  /** Record a change of `key` (value `old` before it) and tell the owner. */
  modified(key: string, old: unknown, wasLoaded: boolean): void {
    if (this.status === 'persistent' || this.status === 'deleted') {
      const c = (this.committed ??= {})
      if (!(key in c)) c[key] = wasLoaded ? old : NOT_LOADED
      this.owner?.markDirty(this)
    }
  }

  changesFor(key: string): CollectionChanges {
    const m = (this.collectionChanges ??= new Map())
    let c = m.get(key)
    if (!c) { c = { added: new Set(), removed: new Set() }; m.set(key, c) }
    return c
  }

  /** Record that the database generated (or a flush synced) `key` in the open transaction. */
  markGenerated(key: string): void {
    const g = this.generated
    this.generated = g === undefined ? key : typeof g === 'string' ? [g, key] : [...g, key]
  }

  /** The keys `markGenerated` recorded. */
  generatedKeys(): readonly string[] {
    const g = this.generated
    return g === undefined ? [] : typeof g === 'string' ? [g] : g
  }

  /** Forget changes after a flush wrote them. */
  resetChanges(): void {
    this.committed = undefined
    this.flagged = undefined
    this.collectionChanges = undefined
  }
}

/** The state of a mapped object (throws for anything else). */
export function stateOf(obj: object): InstanceState {
  const s = (obj as any)?.[STATE] as InstanceState | undefined
  if (!s) throw new TypeError(`${String(obj)} is not a mapped object (an instance of a Model)`)
  return s
}

/** The state of a mapped object, or undefined. */
export function maybeState(obj: unknown): InstanceState | undefined {
  return obj !== null && typeof obj === 'object' ? (obj as any)[STATE] : undefined
}
