import type { AsyncConnection, ExecuteOptions } from '../../engine/connection.js'
import type { Result } from '../../engine/result.js'
import type { Delete, Update } from '../../sql/builders/dml.js'
import { select } from '../../sql/builders/select.js'
import type { BindParam } from '../../sql/nodes/elements.js'
import type { Table } from '../../sql/schema/table.js'
import { identityKey } from '../mapping/identity.js'
import type { InstanceState } from '../mapping/instance-state.js'
import type { Mapper } from '../mapping/mapper.js'
import { registryOf } from '../mapping/registry.js'
import { STATE } from '../mapping/state-symbols.js'
import type { SessionCore } from './session-core.js'
import { expireState } from './transaction-undo.js'

/** The mapper of a table, if a model maps it. */
export function mapperForTable(table: Table<any>): Mapper | undefined {
  return table.metadata ? registryOf(table.metadata).mappers.find((m) => m.table === table) : undefined
}

/** Whether a statement is an UPDATE or DELETE of a mapped table. */
export function isOrmBulk(stmt: unknown): stmt is Update | Delete {
  const kind = (stmt as { visitName?: string } | null)?.visitName
  return (kind === 'update' || kind === 'delete') && mapperForTable((stmt as Update).table) !== undefined
}

/**
 * ORM-enabled `update(User)` / `deleteFrom(User)`: runs in bulk, and keeps
 * the objects this session has loaded in step (SQLAlchemy's "fetch"
 * synchronization): the matched keys are selected first, then the objects
 * with those keys get the new values (plain values are set, SQL
 * expressions expire the attribute), or leave the session when deleted.
 * `.options({ synchronizeSession: false })` skips that.
 */
export async function executeOrmBulk(core: SessionCore, conn: AsyncConnection, stmt: Update | Delete, params?: Record<string, unknown>, options?: ExecuteOptions): Promise<Result<any>> {
  const mapper = mapperForTable(stmt.table)!
  const sync = stmt.state.options.every((o) => (o as { synchronizeSession?: unknown })?.synchronizeSession !== false)
  let matched: object[] = []
  if (sync && core.identityMap.size) {
    const q = select(...mapper.pkColumns)
    const keys = await conn.execute(stmt.state.where ? q.where(stmt.state.where) : q, params)
    matched = keys.rows.map((r) => core.identityMap.get(mapper, identityKey(r)!)).filter((o): o is object => o !== undefined)
  }
  const res = await conn.execute(stmt, params, options)
  for (const obj of matched) {
    const st = (obj as any)[STATE] as InstanceState
    if (stmt.visitName === 'delete') {
      core.detach(st)
      st.status = 'deleted'
      core.scope.deleted.add(st)
      continue
    }
    for (const [col, expr] of stmt.state.set) {
      const key = mapper.keyOf(col)
      const bind = expr as BindParam
      if (expr.visitName === 'bindParam' && !bind.deferred && bind.key === undefined) {
        st.dict[key] = bind.value
        if (st.committed) delete st.committed[key]
      } else expireState(st, [key])
    }
  }
  return res
}
