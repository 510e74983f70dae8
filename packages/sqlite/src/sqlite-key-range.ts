import type { Column, InsertKeyRange, Table } from '@retort/core/dialect'
import { SqliteCompiler } from './sqlite-compiler.js'

/** The dialect's identifier quoting (a stateless method of its compiler). */
const quoting = new SqliteCompiler()
const quote = (name: string): string => quoting.quote(name)

/**
 * The largest key before the INSERT and whether the table qualifies: its
 * key is the rowid (the table's only primary key column, declared INTEGER,
 * with no separate primary-key index: not `WITHOUT ROWID`, not `INTEGER
 * PRIMARY KEY DESC`, not `INT`) and no trigger (main or temp) can write it
 * during the INSERT. Then SQLite hands out each new rowid as one more than
 * the largest in the table (or than the AUTOINCREMENT sequence) — larger
 * than every key before, consecutive in VALUES order — unless the largest
 * is 2^63-1, which the caller rules out.
 */
function probeSql(table: string, key: string): string {
  return `SELECT max(${key}), (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE) = 0` +
    ` AND (SELECT count(*) FROM sqlite_temp_master WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE) = 0` +
    ` AND (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1` +
    ` AND (SELECT count(*) FROM pragma_table_info(?1) WHERE pk = 1 AND name = ?2 COLLATE NOCASE AND upper(type) = 'INTEGER') = 1` +
    ` AND (SELECT count(*) FROM pragma_index_list(?1) WHERE origin = 'pk') = 0 FROM ${table}`
}

/**
 * Keys of a large multi-row INSERT without RETURNING: sqlite3 builds a JS
 * object per RETURNING row, which cost more than the INSERT itself (10k
 * rows: ~8 ms of ~16 ms); the probe and the check cost two short statements.
 */
export const sqliteKeyRange: InsertKeyRange = {
  minRows: 100,
  probe(table: Table<any>, key: Column<any>) {
    if (table.schema !== undefined) return undefined
    return { sql: probeSql(quote(table.name), quote(key.name)), params: [table.name, key.name] }
  },
  firstAbove(table: Table<any>, key: Column<any>) {
    const k = quote(key.name)
    return `SELECT min(${k}) FROM ${quote(table.name)} WHERE ${k} > ?`
  },
}
