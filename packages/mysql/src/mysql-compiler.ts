import {
  ArgumentError, type Column, type Excluded, type LockOptions, type OnConflict, type OrderBy, SqlCompiler, type SqlType, type Table, type Update,
} from '@retort/core/dialect'

/** MySQL/MariaDB SQL: backtick identifiers, `?` binds, `AUTO_INCREMENT`, `ON DUPLICATE KEY UPDATE`. */
export class MysqlCompiler extends SqlCompiler {
  /** `mariadb`: the server is MariaDB (no `FOR UPDATE OF`, its own NO PAD collation); else MySQL 8. */
  constructor(private readonly server: { mariadb?: boolean } = {}) { super() }
  override quote(name: string): string { return '`' + name.replace(/`/g, '``') + '`' }
  protected override get maxIdentifierLength(): number { return 64 }
  protected override columnType(t: Table<any>, col: Column<any>): string {
    return this.typeName(col.type) + (t.isAutoincrement(col) ? ' AUTO_INCREMENT' : '')
  }
  override typeName(t: SqlType): string {
    switch (t.kind) {
      case 'float': return 'DOUBLE'
      case 'datetime': return 'DATETIME(6)'
      case 'bytes': return 'LONGBLOB'
      case 'text': return 'LONGTEXT'
      case 'uuid': return 'CHAR(36)'
      case 'json': return 'JSON'
      case 'bool': return 'BOOLEAN'
      case 'numeric': return t.precision !== undefined ? `DECIMAL(${t.precision}, ${t.scale ?? 0})` : 'DECIMAL(65, 30)'
      case 'enum': return 'ENUM(' + (t.values ?? []).map((v) => this.ddlString(v)).join(', ') + ')'
      default: return super.typeName(t)
    }
  }
  override castType(t: SqlType): string {
    switch (t.kind) {
      case 'integer': case 'biginteger': case 'bool': return 'SIGNED'
      case 'text': case 'varchar': case 'uuid': case 'enum': return 'CHAR'
      case 'float': return 'DOUBLE'
      case 'datetime': return 'DATETIME(6)'
      default: return this.typeName(t)
    }
  }
  /** Backslash is an escape in MySQL string literals (unless NO_BACKSLASH_ESCAPES). */
  protected override ddlString(v: string): string { return "'" + v.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'" }
  protected override checkEnums(): boolean { return false }
  /** A binary NO PAD collation: case- and trailing-space-sensitive comparisons, as on PostgreSQL and SQLite. */
  protected override tableSuffix(): string {
    return ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=' + (this.server.mariadb ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin')
  }
  override visitBinary(e: any): string {
    if (e.operator === 'ILIKE' || e.operator === 'NOT ILIKE') {
      const op = e.operator === 'ILIKE' ? ' LIKE ' : ' NOT LIKE '
      const escaped = e.right.visitName === 'escapedPattern'
      const pattern = 'LOWER(' + this.process(escaped ? e.right.pattern : e.right) + ')'
      return 'LOWER(' + this.process(e.left) + ')' + op + pattern + (escaped ? ' ESCAPE ' + this.process(e.right.escape) : '')
    }
    if (e.operator === '||') return 'CONCAT(' + this.process(e.left) + ', ' + this.process(e.right) + ')'
    return super.visitBinary(e)
  }
  /** No NULLS FIRST/LAST: sort on `x IS NULL` first (MySQL puts NULLs first ascending). */
  override visitOrderBy(o: OrderBy): string {
    const plain = super.visitOrderBy(o)
    if (!o.nulls) return plain
    const el = o.element.visitName === 'label' ? this.quote((o.element as any).name) : this.process(o.element)
    return el + ' IS NULL' + (o.nulls === 'FIRST' ? ' DESC' : '') + ', ' + plain
  }
  protected override nullsOrder(): string { return '' }
  override visitExcluded(e: Excluded): string { return 'VALUES(' + this.quote(e.column.name) + ')' }
  protected override onConflict(oc: OnConflict): string {
    if (oc.kind !== 'duplicateKey') throw new ArgumentError('MySQL/MariaDB have no ON CONFLICT: use onDuplicateKeyUpdate()')
    return ' ON DUPLICATE KEY UPDATE ' + this.assignments(oc.set)
  }
  protected override defaultValues(): string { return ' () VALUES ()' }
  protected override limitOffset(limit?: any, offset?: any): string {
    let s = ''
    if (limit || offset) s += ' LIMIT ' + (limit ? this.process(limit) : '18446744073709551615')
    if (offset) s += ' OFFSET ' + this.process(offset)
    return s
  }
  /** MariaDB has no `FOR SHARE` and no `OF` (every table of the statement is locked); MySQL 8 has both. */
  protected override lockClause(lock: LockOptions): string {
    if (!this.server.mariadb) return super.lockClause(lock)
    let s = lock.read ? ' LOCK IN SHARE MODE' : ' FOR UPDATE'
    if (lock.nowait) s += ' NOWAIT'
    if (lock.skipLocked) s += ' SKIP LOCKED'
    return s
  }
  override visitUpdate(u: Update): string {
    if (u.state.returning.length) throw new ArgumentError('MySQL and MariaDB have no UPDATE ... RETURNING: select the rows after the update')
    return super.visitUpdate(u)
  }
  override visitDropForeignKey(d: any): string {
    return 'ALTER TABLE ' + this.visitTable(d.table) + ' DROP FOREIGN KEY ' + this.quote(this.foreignKeyName(d.table, d.fk))
  }
}
