import { type Column, type ColumnElement, type Excluded, type Label, type OrderBy, SqlCompiler, type SqlType, type Table } from '@retort/core/dialect'

/** SQLite's SQL: `?` binds, `AUTOINCREMENT` on the inline primary key, no native types beyond affinity. */
export class SqliteCompiler extends SqlCompiler {
  protected override inlinePrimaryKey(t: Table<any>, col: Column<any>): boolean { return t.isAutoincrement(col) }
  protected override autoincrementSuffix(): string { return ' AUTOINCREMENT' }
  protected override columnType(t: Table<any>, col: Column<any>): string {
    // AUTOINCREMENT needs exactly INTEGER PRIMARY KEY
    return t.isAutoincrement(col) ? 'INTEGER' : this.typeName(col.type)
  }
  override typeName(t: SqlType): string {
    switch (t.kind) {
      case 'bool': return 'BOOLEAN'
      case 'float': return 'REAL'
      case 'datetime': return 'DATETIME'
      case 'uuid': return 'CHAR(36)'
      case 'json': return 'JSON'
      default: return super.typeName(t)
    }
  }
  protected override operator(op: string): string { return op === 'ILIKE' ? 'LIKE' : op }
  override visitExcluded(e: Excluded): string { return 'excluded.' + this.quote(e.column.name) }
  protected override limitOffset(limit?: any, offset?: any): string {
    let s = ''
    if (limit || offset) s += ' LIMIT ' + (limit ? this.process(limit) : '-1')
    if (offset) s += ' OFFSET ' + this.process(offset)
    return s
  }
  protected override lockClause(): string { return '' }
  /** SQLite names a VALUES list's columns `column1`, `column2`, ...: no column list on its alias. */
  protected override valuesAlias(): string { return 'v' }
  protected override valuesColumn(_names: readonly string[], i: number): string { return 'v.column' + (i + 1) }
  /** SQLite refuses parentheses around a compound member: select from it as a subquery instead. */
  protected override wrapCompoundMember(sql: string): string { return 'SELECT * FROM (' + sql + ')' }
  protected override nullsOrder(n: 'FIRST' | 'LAST'): string { return ' NULLS ' + n }
  /**
   * No ALTER TABLE ... DROP CONSTRAINT: a cycle's tables are dropped with the
   * foreign-key checks deferred to commit (DROP TABLE deletes its rows first).
   */
  override visitDropForeignKey(): string { return 'PRAGMA defer_foreign_keys = ON' }

  // ---- BigInteger results: sqlite3 reads INTEGER as a double, inexact above 2^53, so read it as text
  private readonly textLabels = new Set<unknown>()
  /** A top-level select-list or RETURNING column of BigInteger type is read as `CAST(... AS TEXT)`, keeping its name. */
  protected override selectColumn(c: ColumnElement<any>, name?: string): string {
    if (name === undefined || c.type.kind !== 'biginteger') return super.selectColumn(c, name)
    if (c.visitName === 'label') this.textLabels.add(c)
    const inner = c.visitName === 'label' ? (c as Label).element : c
    return 'CAST(' + this.process(inner) + ' AS TEXT) AS ' + this.quote(name)
  }
  /** Ordering by such a label orders by its expression: the label itself now names text. */
  protected override orderByItem(o: Parameters<SqlCompiler['process']>[0]): string {
    return this.textLabels.has(o) ? this.process((o as Label).element) : super.orderByItem(o)
  }
  override visitOrderBy(o: OrderBy): string {
    if (!this.textLabels.has(o.element)) return super.visitOrderBy(o)
    return this.process((o.element as Label).element) + ' ' + o.direction + (o.nulls ? this.nullsOrder(o.nulls) : '')
  }
}

