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

/** How many integer keys from the first one a store keeps in array slots (the rest go to its Map). */
const WINDOW = 2 ** 22

/**
 * The objects of one mapper by canonical identity key. Integer keys (the
 * common single integer primary key) sit in an array slot, counted from
 * the first integer key the store saw (ids in the millions still make a
 * dense array): no hashing, no hash-table growth, no key string per loaded
 * row. Any other key, and integer keys outside that window, are in a Map
 * (under their canonical string, which for an integer key is `String(i)`).
 * Where a key lives depends only on the key and the window, so `get` by
 * string and the hydrator's `getIndex` by number see the same entries.
 */
export class IdentityStore {
  private readonly slots: (object | undefined)[] = []
  /** The integer key of `slots[0]`; -1 until the first integer key is stored. */
  private base = -1
  private indexed = 0
  private readonly keyed = new Map<string, object>()

  get size(): number { return this.indexed + this.keyed.size }

  /** The slot of integer key `i`, or -1 when it is outside the window (or none is open yet). */
  private slotOf(i: number): number {
    const s = i - this.base
    return this.base >= 0 && s >= 0 && s < WINDOW ? s : -1
  }

  get(key: string): object | undefined {
    const i = indexOfKey(key)
    return i >= 0 ? this.getIndex(i) : this.keyed.get(key)
  }

  /** The object at an integer key (see `indexOfKey` / `indexOfNumber`). */
  getIndex(i: number): object | undefined {
    const s = this.slotOf(i)
    return s >= 0 ? this.slots[s] : this.keyed.size ? this.keyed.get(String(i)) : undefined
  }

  /** The object at a key known not to be an integer key. */
  getKeyed(key: string): object | undefined { return this.keyed.get(key) }

  set(key: string, obj: object): void {
    const i = indexOfKey(key)
    if (i >= 0) this.setIndex(i, obj)
    else this.keyed.set(key, obj)
  }

  /** Store under a key known not to be an integer key. */
  setKeyed(key: string, obj: object): void { this.keyed.set(key, obj) }

  setIndex(i: number, obj: object): void {
    // the window opens a little below the first key: keys handed out in order mostly come after it
    if (this.base < 0) this.base = Math.max(0, i - 1024)
    const s = this.slotOf(i)
    if (s < 0) { this.keyed.set(String(i), obj); return }
    if (this.slots[s] === undefined) this.indexed++
    this.slots[s] = obj
  }

  delete(key: string): void {
    const i = indexOfKey(key)
    const s = i >= 0 ? this.slotOf(i) : -1
    if (s < 0) { this.keyed.delete(key); return }
    if (this.slots[s] === undefined) return
    this.slots[s] = undefined
    this.indexed--
  }

  /** Call `fn` for every object: integer keys of the window in ascending order, then the others in insertion order. */
  forEach(fn: (obj: object) => void): void {
    const slots = this.slots
    if (this.indexed) {
      if (slots.length <= 4 * this.indexed + 64) {
        for (let i = 0; i < slots.length; i++) { const o = slots[i]; if (o !== undefined) fn(o) }
      } else {
        // sparse (keys far apart): visit only the slots that exist
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
