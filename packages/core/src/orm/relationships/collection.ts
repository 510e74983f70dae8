import type { InstanceState } from '../mapping/instance-state.js'
import type { Relationship } from './relationship.js'

/** Callbacks a collection fires (set by relationship-events, kept here to avoid an import cycle). */
export interface CollectionHooks {
  appended(state: InstanceState, rel: Relationship, item: object, initiator?: Relationship): void
  removed(state: InstanceState, rel: Relationship, item: object, initiator?: Relationship): void
}
let hooks: CollectionHooks | undefined
/** @internal */ export function setCollectionHooks(h: CollectionHooks): void { hooks = h }

const OWNER = Symbol('retort.collection.owner')

/**
 * A relationship collection: a real array whose `push`, `pop`, `shift`,
 * `unshift` and `splice` are tracked (for the flush and the other side of
 * the relationship). `map`/`filter`/`slice` return plain arrays.
 */
export class TrackedList<T extends object = object> extends Array<T> {
  declare [OWNER]: { state: InstanceState; rel: Relationship }
  /** Membership index for long lists (backref sync asks "already in?" once per attach). */
  private members: Set<T> | undefined
  static override get [Symbol.species](): ArrayConstructor { return Array }

  /** A collection owned by `state`, holding `items` without firing events. */
  static owned<T extends object>(state: InstanceState, rel: Relationship, items: readonly T[] = []): TrackedList<T> {
    // sized up front and filled by index: ~3× faster than pushing through Array.prototype (a flush builds thousands)
    const n = items.length
    const list = new TrackedList<T>(n)
    for (let i = 0; i < n; i++) list[i] = items[i]
    Object.defineProperty(list, OWNER, { value: { state, rel }, enumerable: false })
    return list
  }

  /** Whether the list holds `item` (by identity), without a linear scan for long lists. */
  has(item: T): boolean {
    if (this.length < 32) return this.includes(item)
    if (!this.members || this.members.size !== this.length) this.members = new Set(this)
    return this.members.has(item)
  }

  override push(...items: T[]): number {
    for (const item of items) { Array.prototype.push.call(this, item); this.members?.add(item); this.fire('appended', item) }
    return this.length
  }
  override unshift(...items: T[]): number {
    Array.prototype.unshift.apply(this, items)
    this.members = undefined
    for (const item of items) this.fire('appended', item)
    return this.length
  }
  override pop(): T | undefined {
    const item = Array.prototype.pop.call(this) as T | undefined
    this.members = undefined
    if (item !== undefined) this.fire('removed', item)
    return item
  }
  override shift(): T | undefined {
    const item = Array.prototype.shift.call(this) as T | undefined
    this.members = undefined
    if (item !== undefined) this.fire('removed', item)
    return item
  }
  override splice(start: number, deleteCount?: number, ...items: T[]): T[] {
    const removed = (deleteCount === undefined
      ? Array.prototype.splice.call(this, start, this.length)
      : Array.prototype.splice.call(this, start, deleteCount, ...items)) as T[]
    this.members = undefined
    for (const r of removed) this.fire('removed', r)
    for (const a of items) this.fire('appended', a)
    return removed
  }
  /** Remove one item (by identity); true when it was there. */
  remove(item: T): boolean {
    const i = this.indexOf(item)
    if (i < 0) return false
    this.splice(i, 1)
    return true
  }

  /** @internal Add without firing (the other side of a relationship syncing in). */
  silentAdd(item: T): void { if (!this.has(item)) { Array.prototype.push.call(this, item); this.members?.add(item) } }
  /** @internal Remove without firing. */
  silentRemove(item: T): void { const i = this.indexOf(item); if (i >= 0) { Array.prototype.splice.call(this, i, 1); this.members = undefined } }

  private fire(kind: 'appended' | 'removed', item: T): void {
    const o = this[OWNER]
    if (o && hooks) hooks[kind](o.state, o.rel, item)
  }
}

/** Whether a value is a tracked collection. */
export function isTrackedList(x: unknown): x is TrackedList {
  return x instanceof TrackedList
}
