import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAsyncEngine, isArgumentError, isConnectionError, parseUrl, text } from '@retort/core'
import { connectionConfig } from '@retort/mysql'
import { describe, expect, it } from 'vitest'
import { failure, mariadb } from './mysql-support.js'

const base = mariadb().url.renderWithPassword()
const withQuery = (q: string) => base + (base.includes('?') ? '&' : '?') + q

describe('MariaDB URL options', () => {
  it('?charset= sets the connection character set', async () => {
    const engine = createAsyncEngine(withQuery('charset=latin1'))
    try {
      const r = await engine.connect((c) => c.execute(text('SELECT @@character_set_client, @@character_set_results')))
      expect([...r.one()]).toEqual(['latin1', 'latin1'])
    } finally { await engine.dispose() }
    const dflt = mariadb()
    try {
      expect(await dflt.connect((c) => c.execute(text('SELECT @@character_set_client')).then((r) => r.scalar()))).toBe('utf8mb4')
    } finally { await dflt.dispose() }
  })

  it('?socket= connects over the Unix socket', async () => {
    const engine = createAsyncEngine('mariadb+mysql2://root@localhost/test?socket=/run/mysqld/mysqld.sock')
    try {
      const host = await engine.connect((c) => c.execute(text(
        'SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()')).then((r) => r.scalar()))
      expect(host).toBe('localhost') // a TCP client shows as 127.0.0.1:port
    } finally { await engine.dispose() }
  })

  it('ssl options reach mysql2: ?ssl=true against a server without TLS fails to connect', async () => {
    const engine = createAsyncEngine(withQuery('ssl=true'))
    try {
      const err = await failure(engine.connect())
      expect(isConnectionError(err)).toBe(true)
      expect(err.message).toMatch(/secure connection|SSL|TLS/i)
    } finally { await engine.dispose() }
  })

  it('maps SSL modes, certificate files and timeouts onto mysql2 options', () => {
    const ca = join(tmpdir(), `myx_url_ca_${process.pid}.pem`)
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    const cfg = (q: string) => connectionConfig(parseUrl(`mysql+mysql2://u:pw@db.example:3307/app?${q}`))
    expect(cfg('ssl_mode=REQUIRED').ssl).toEqual({ rejectUnauthorized: false })
    expect(cfg('sslmode=verify-full').ssl).toEqual({})
    expect(cfg('ssl_mode=DISABLED').ssl).toBeUndefined()
    expect(cfg(`ssl_ca=${ca}`).ssl).toEqual({ ca: expect.stringContaining('BEGIN CERTIFICATE') })
    expect(cfg('ssl=Amazon RDS').ssl).toBe('Amazon RDS')
    expect(cfg('connect_timeout=2500&charset=utf8mb4_unicode_ci&compress=true')).toMatchObject({
      host: 'db.example', port: 3307, user: 'u', password: 'pw', database: 'app', connectTimeout: 2500, charset: 'utf8mb4_unicode_ci', compress: true,
    })
    expect(cfg('socket=/tmp/my.sock').socketPath).toBe('/tmp/my.sock')
    // what the dialect depends on stays as it is
    expect(cfg('').flags).toEqual(['+FOUND_ROWS'])
    expect(isArgumentError(failure2(() => cfg('rowsAsArray=false')))).toBe(true)
    expect(isArgumentError(failure2(() => cfg('ssl_mode=SOMETIMES')))).toBe(true)
  })
})

function failure2(fn: () => unknown): unknown {
  try { fn() } catch (err) { return err }
  throw new Error('expected a throw')
}
