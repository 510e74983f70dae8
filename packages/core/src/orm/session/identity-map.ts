import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { IdentityStore } from './identity-store.js'

/** One object per primary key per session: a store per mapper, keyed by canonical identity keys. */
export class IdentityMap {
  private readonly maps = new Map<Mapper, IdentityStore>()

  get(mapper: Mapper, key: string): object | undefined { return this.maps.get(mapper)?.get(key) }

  /** The store of one mapper (for hydration's hot loop). */
  mapFor(mapper: Mapper): IdentityStore {
    let m = this.maps.get(mapper)
    if (!m) { m = new IdentityStore(); this.maps.set(mapper, m) }
    return m
  }

  add(state: InstanceState): void { this.mapFor(state.mapper).set(state.identityKey!, state.obj) }

  remove(state: InstanceState): void {
    const m = this.maps.get(state.mapper)
    if (m && state.identityKey !== undefined && m.get(state.identityKey) === state.obj) m.delete(state.identityKey)
  }

  /** Every object held, all mappers. */
  *objects(): IterableIterator<object> { for (const m of this.maps.values()) yield* m.values() }

  /** Call `fn` for every object held (no generator: closing a session walks them all). */
  forEach(fn: (obj: object) => void): void { for (const m of this.maps.values()) m.forEach(fn) }

  get size(): number { let n = 0; for (const m of this.maps.values()) n += m.size; return n }

  clear(): void { this.maps.clear() }
}
