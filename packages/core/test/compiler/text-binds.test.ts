import { describe, expect, it } from 'vitest'
import { splitBinds } from '../../src/sql/builders/text-binds.js'
import { SqlCompiler } from '../../src/sql/compiler/sql-compiler.js'
import { text } from '../../src/sql/builders/text.js'

const names = (sql: string) => splitBinds(sql).names
const rejoin = (sql: string) => { const s = splitBinds(sql); return s.chunks.map((c, i) => c + (i < s.names.length ? '<' + s.names[i] + '>' : '')).join('') }

describe('text() bind parsing', () => {
  it('finds :name binds', () => {
    expect(names('select * from t where a = :a and b = :b_2')).toEqual(['a', 'b_2'])
  })
  it('leaves ::casts alone', () => {
    expect(rejoin('select :v::text, x::int')).toBe('select <v>::text, x::int')
  })
  it('skips quoted strings, with doubled quotes inside', () => {
    expect(names("select ':no', 'it''s :no', \"col:no\", `b:no` from t where x = :yes")).toEqual(['yes'])
  })
  it('skips comments', () => {
    expect(names('select 1 -- :no\n, :yes /* :no */')).toEqual(['yes'])
  })
  it('skips PostgreSQL dollar quoting', () => {
    expect(names('do $$ begin perform :no; end $$; select $tag$ :no $tag$, :yes')).toEqual(['yes'])
  })
  it('a colon after a word character is no bind (time literals, a:b)', () => {
    expect(names('select a:b, 10:30')).toEqual([])
  })
  it('\\: escapes a colon', () => {
    expect(rejoin('select \\:notabind, :yes')).toBe('select :notabind, <yes>')
  })
  it('an unterminated string runs to the end without a bind', () => {
    expect(names("select 'abc :x")).toEqual([])
  })
  it('compiles each bind to a placeholder, the same name twice to two', () => {
    const out = new SqlCompiler().compile(text('select :a, :b, :a'))
    expect(out.sql).toBe('select ?, ?, ?')
    expect(out.binds.map((b) => b.key)).toEqual(['a', 'b', 'a'])
    expect(out.returnsRows).toBe(true)
  })
})
