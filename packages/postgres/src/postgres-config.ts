import { readFileSync } from 'node:fs'
import { ArgumentError, type DatabaseUrl } from '@retort/core/dialect'
import type { PgClientConfig, PgTypes } from './pg-driver-types.js'

type Ssl = PgClientConfig['ssl']

/** libpq's `sslmode` words → pg's `ssl` option (`prefer` is retried without TLS by the dialect). */
function sslOption(mode: string, files: { ca?: string; cert?: string; key?: string }): Ssl {
  switch (mode) {
    case 'disable': case 'allow': return false
    case 'prefer': case 'require': return { rejectUnauthorized: false, ...files }
    case 'verify-ca': return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...files }
    case 'verify-full': return { rejectUnauthorized: true, ...files }
    default: throw new ArgumentError(`Unknown sslmode '${mode}' (use disable, allow, prefer, require, verify-ca or verify-full)`)
  }
}

function readPem(path: string | undefined, what: string): string | undefined {
  if (!path) return undefined
  try { return readFileSync(path, 'utf8') } catch (err) {
    throw new ArgumentError(`Could not read ${what} '${path}' named in the database URL`, { cause: err })
  }
}

/**
 * A database URL → pg Client config. Query options pass through to pg
 * (`application_name`, `options`, `statement_timeout`...), except these,
 * read as libpq reads them: `host` (a folder for a Unix socket:
 * `?host=/var/run/postgresql`), `port`, `sslmode`, `sslrootcert`,
 * `sslcert`, `sslkey` (file paths) and `connect_timeout` (seconds).
 */
export function clientConfig(url: DatabaseUrl, types: PgTypes): PgClientConfig {
  const { host, port, sslmode, sslrootcert, sslcert, sslkey, connect_timeout: timeout, ...rest } = url.query
  const config: PgClientConfig & Record<string, unknown> = {
    ...rest,
    host: host || url.host, port: port ? Number(port) : url.port,
    user: url.username, password: url.password, database: url.database, types,
  }
  const files = { ca: readPem(sslrootcert, 'sslrootcert'), cert: readPem(sslcert, 'sslcert'), key: readPem(sslkey, 'sslkey') }
  for (const k of Object.keys(files) as (keyof typeof files)[]) if (files[k] === undefined) delete files[k]
  if (sslmode) config.ssl = sslOption(sslmode, files)
  else if (Object.keys(files).length) config.ssl = { rejectUnauthorized: !!files.ca, ...files }
  if (timeout) config.connectionTimeoutMillis = Number(timeout) * 1000
  return config
}

/** True for the server's answer to a TLS request when it has TLS off (`sslmode=prefer` then goes plain). */
export function isSslRefused(err: unknown): boolean {
  return /does not support SSL/i.test((err as Error | undefined)?.message ?? '')
}
