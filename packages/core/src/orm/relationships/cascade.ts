import { ArgumentError } from '../../errors/errors.js'

/** The cascades a relationship follows, SQLAlchemy's names. */
export interface Cascades {
  saveUpdate: boolean
  merge: boolean
  delete: boolean
  deleteOrphan: boolean
  expunge: boolean
  refreshExpire: boolean
}

const KNOWN = new Set(['save-update', 'merge', 'delete', 'delete-orphan', 'expunge', 'refresh-expire', 'all', 'none'])

/** Parse `'all, delete-orphan'` and friends (default `'save-update, merge'`). */
export function parseCascade(spec: string | undefined): Cascades {
  const parts = (spec ?? 'save-update, merge').split(',').map((s) => s.trim()).filter(Boolean)
  for (const p of parts) if (!KNOWN.has(p)) throw new ArgumentError(`unknown cascade '${p}' (known: ${[...KNOWN].join(', ')})`)
  const has = (p: string): boolean => parts.includes(p) || (parts.includes('all') && p !== 'delete-orphan')
  const c: Cascades = {
    saveUpdate: has('save-update'), merge: has('merge'), delete: has('delete'), deleteOrphan: parts.includes('delete-orphan'),
    expunge: has('expunge'), refreshExpire: has('refresh-expire'),
  }
  if (c.deleteOrphan && !c.delete) throw new ArgumentError("cascade 'delete-orphan' needs 'delete' too (e.g. 'all, delete-orphan')")
  return c
}
