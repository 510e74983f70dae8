/** Index keys up to this bound use an array slot (Smi range, so V8 keeps them as element indices). */
const INDEX_LIMIT = 2 ** 30

/**
 * The array index a canonical identity key stands for (`'0'`, `'17'`, ...;
 * no sign, no leading zero, below 2^30), or -1 for any other key.
 */
export function indexOfKey(key: string): number {
  const n = key.length
  if (n === 0 || n > 10) return -1
  let i = 0
  for (let k = 0; k < n; k++) {
    const c = key.charCodeAt(k) - 48
    if (c < 0 || c > 9 || (c === 0 && k === 0 && n > 1)) return -1
    i = i * 10 + c
  }
  return i < INDEX_LIMIT ? i : -1
}

/** The array index for a key value that is a number, or -1 (then the canonical string key applies). */
export function indexOfNumber(v: number): number {
  return v >= 0 && v < INDEX_LIMIT && (v | 0) === v ? v | 0 : -1
}

/**
 * The objects of one mapper by canonical identity key. Integer keys (the
 * common single integer primary key) sit in an array slot: no hashing, no
 * hash-table growth, no key string per loaded row; any other key is in a
 * Map. Which store holds a key depends only on the key, so `get` by
 * string and the hydrator's `getIndex` by number see the same entries.
 */
export class IdentityStore {
  private readonly slots: (object | undefined)[] = []
  private indexed = 0
  private readonly keyed = new Map<string, object>()

  get size(): number { return this.indexed + this.keyed.size }

  get(key: string): object | undefined {
    const i = indexOfKey(key)
    return i >= 0 ? this.slots[i] : this.keyed.get(key)
  }

  /** The object at an index key (see `indexOfKey` / `indexOfNumber`). */
  getIndex(i: number): object | undefined { return this.slots[i] }

  /** The object at a key known not to be an index key. */
  getKeyed(key: string): object | undefined { return this.keyed.get(key) }

  set(key: string, obj: object): void {
    const i = indexOfKey(key)
    if (i >= 0) this.setIndex(i, obj)
    else this.keyed.set(key, obj)
  }

  /** Store under a key known not to be an index key. */
  setKeyed(key: string, obj: object): void { this.keyed.set(key, obj) }

  setIndex(i: number, obj: object): void {
    if (this.slots[i] === undefined) this.indexed++
    this.slots[i] = obj
  }

  delete(key: string): void {
    const i = indexOfKey(key)
    if (i < 0) { this.keyed.delete(key); return }
    if (this.slots[i] === undefined) return
    this.slots[i] = undefined
    this.indexed--
  }

  /** Call `fn` for every object: index keys in ascending order, then the others in insertion order. */
  forEach(fn: (obj: object) => void): void {
    const slots = this.slots
    if (this.indexed) {
      if (slots.length <= 4 * this.indexed + 64) {
        for (let i = 0; i < slots.length; i++) { const o = slots[i]; if (o !== undefined) fn(o) }
      } else {
        // sparse (a few large keys): visit only the slots that exist
        for (const k in slots) { const o = slots[k as unknown as number]; if (o !== undefined) fn(o) }
      }
    }
    for (const o of this.keyed.values()) fn(o)
  }

  values(): object[] {
    const out: object[] = []
    this.forEach((o) => out.push(o))
    return out
  }
}
