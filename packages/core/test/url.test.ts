import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ArgumentError, createAsyncEngine, parseUrl } from '../src/index.js'

describe('parseUrl', () => {
  it.each([
    ['postgresql+pg://user:pass@host:5432/db', { dialect: 'postgresql', driver: 'pg', username: 'user', password: 'pass', host: 'host', port: 5432, database: 'db' }],
    ['postgres://u@localhost/db', { dialect: 'postgresql', driver: undefined, username: 'u', host: 'localhost', database: 'db' }],
    ['postgresql://u:p@h/db', { dialect: 'postgresql', host: 'h' }],
    ['mysql+mysql2://root@127.0.0.1:3306/test', { dialect: 'mysql', driver: 'mysql2', username: 'root', port: 3306, database: 'test' }],
    ['mysql://root@h/test', { dialect: 'mysql' }],
    ['mariadb+mysql2://root:x@h:3307/test', { dialect: 'mariadb', port: 3307 }],
    ['mariadb://root@h/test', { dialect: 'mariadb' }],
    ['sqlite+sqlite3:///relative.db', { dialect: 'sqlite', driver: 'sqlite3', database: 'relative.db' }],
    ['sqlite+sqlite3:////abs/path.db', { dialect: 'sqlite', database: '/abs/path.db' }],
    ['sqlite+sqlite3://:memory:', { dialect: 'sqlite', database: ':memory:' }],
    ['sqlite+sqlite3:///:memory:', { dialect: 'sqlite', database: ':memory:' }],
    ['sqlite://', { dialect: 'sqlite', database: ':memory:' }],
    ['sqlite+sqlite3://', { dialect: 'sqlite', driver: 'sqlite3', database: ':memory:' }],
    ['postgresql://u:p%40ss%2Fw@h/db', { password: 'p@ss/w' }],
    ['postgresql://u@[::1]:5433/db', { host: '::1', port: 5433 }],
  ])('%s', (input, expected) => {
    const url = parseUrl(input)
    for (const [k, v] of Object.entries(expected)) expect((url as any)[k]).toEqual(v)
  })

  it('passes query-string options through', () => {
    const url = parseUrl('postgresql+pg://u@/db?host=/var/run/postgresql&sslmode=require')
    expect(url.query).toEqual({ host: '/var/run/postgresql', sslmode: 'require' })
    expect(parseUrl('mysql://u@h/db?charset=utf8mb4').query.charset).toBe('utf8mb4')
  })

  it('masks the password in toString, JSON, inspect and the engine', () => {
    const url = parseUrl('postgresql+pg://scott:tiger@host/db')
    expect(url.toString()).toBe('postgresql+pg://scott:***@host/db')
    expect(JSON.stringify({ url })).not.toContain('tiger')
    expect(inspect(url)).not.toContain('tiger')
    expect(url.renderWithPassword()).toContain('tiger')
    const engine = createAsyncEngine('postgresql+pg://scott:tiger@host/db')
    expect(inspect(engine)).not.toContain('tiger')
    expect(String(engine)).toContain('***')
    expect(inspect(engine.url, { showHidden: true, depth: 5 })).not.toContain('tiger')
  })

  it('rejects malformed URLs with an ArgumentError that hides the password', () => {
    expect(() => parseUrl('nonsense')).toThrow(ArgumentError)
    expect(() => parseUrl('postgresql://u:secret@h:notaport/db')).toThrow(ArgumentError)
    expect(() => parseUrl('postgresql://u:secret@h:notaport/db')).toThrow(/^(?!.*secret).*Invalid port/)
  })
})
