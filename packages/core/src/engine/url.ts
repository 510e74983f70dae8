import { ArgumentError } from '../errors/errors.js'

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/**
 * A database URL in SQLAlchemy's forms (`dialect+driver://user:pass@host:port/db?opt=v`,
 * `sqlite+sqlite3:///relative.db`, `sqlite+sqlite3:////abs.db`, `sqlite://`).
 * The password never appears in `toString()`, `inspect` or JSON.
 */
export class DatabaseUrl {
  readonly dialect: string
  readonly driver?: string
  readonly username?: string
  readonly host?: string
  readonly port?: number
  /** Database name, or the SQLite file path (`:memory:` for memory). */
  readonly database?: string
  /** Query-string options, passed to the driver. */
  readonly query: Readonly<Record<string, string>>
  readonly #password?: string

  constructor(parts: { dialect: string; driver?: string; username?: string; password?: string; host?: string; port?: number; database?: string; query?: Record<string, string> }) {
    this.dialect = parts.dialect
    this.driver = parts.driver
    this.username = parts.username
    this.#password = parts.password
    this.host = parts.host
    this.port = parts.port
    this.database = parts.database
    this.query = Object.freeze({ ...(parts.query ?? {}) })
    Object.freeze(this)
  }

  /** The real password (for drivers only). */
  get password(): string | undefined { return this.#password }

  /** `dialect+driver` or `dialect`. */
  get drivername(): string { return this.driver ? `${this.dialect}+${this.driver}` : this.dialect }

  /** The URL with the password shown as `***`. */
  toString(): string { return this.render(true) }
  toJSON(): string { return this.render(true) }
  [INSPECT](): string { return `DatabaseUrl(${this.render(true)})` }

  /** The URL with the real password (never log this). */
  renderWithPassword(): string { return this.render(false) }

  private render(mask: boolean): string {
    let s = this.drivername + '://'
    if (this.username !== undefined) {
      s += encodeURIComponent(this.username)
      if (this.#password !== undefined) s += ':' + (mask ? '***' : encodeURIComponent(this.#password))
      s += '@'
    }
    if (this.host !== undefined) s += this.host.includes(':') ? `[${this.host}]` : this.host
    if (this.port !== undefined) s += ':' + this.port
    if (this.database !== undefined) s += '/' + this.database
    const q = Object.entries(this.query)
    if (q.length) s += '?' + q.map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&')
    return s
  }

  /**
   * Mask this URL's password wherever it occurs in `text`, plain or
   * URL-encoded, in any letter case (servers fold identifiers to lower case).
   */
  maskIn(text: string): string {
    const pw = this.#password
    if (!pw) return text
    const forms = [pw, encodeURIComponent(pw)].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    return text.replace(new RegExp(forms.join('|'), 'gi'), '***')
  }

  /** Mask this URL's password in an error's message, stack and SQL, and down its `cause` chain. */
  maskError<E>(err: E): E {
    const seen = new Set<unknown>()
    for (let e: any = err; e && typeof e === 'object' && !seen.has(e); e = e.cause) {
      seen.add(e)
      for (const key of ['message', 'stack', 'sql'] as const) {
        if (typeof e[key] !== 'string') continue
        const masked = this.maskIn(e[key])
        if (masked !== e[key]) { try { e[key] = masked } catch { /* a frozen error keeps its text */ } }
      }
    }
    return err
  }
}

/** Parse a database URL. Throws `ArgumentError` for a malformed one (without echoing the password). */
export function parseUrl(input: string | DatabaseUrl): DatabaseUrl {
  if (input instanceof DatabaseUrl) return input
  const m = /^([A-Za-z][A-Za-z0-9_-]*)(?:\+([A-Za-z0-9_-]+))?:\/\/(.*)$/s.exec(input)
  if (!m) throw new ArgumentError(`Could not parse a database URL from '${maskRaw(input)}' (expected dialect+driver://user:pass@host:port/database)`)
  let [, dialect, driver, rest] = m
  dialect = dialect.toLowerCase()
  if (dialect === 'postgres') dialect = 'postgresql'
  let query: Record<string, string> = {}
  const qi = rest.indexOf('?')
  if (qi >= 0) {
    query = Object.fromEntries(rest.slice(qi + 1).split('&').filter(Boolean).map((kv) => {
      const eq = kv.indexOf('=')
      return eq < 0 ? [decodeURIComponent(kv), ''] : [decodeURIComponent(kv.slice(0, eq)), decodeURIComponent(kv.slice(eq + 1).replace(/\+/g, ' '))]
    }))
    rest = rest.slice(0, qi)
  }
  if (dialect === 'sqlite') {
    // sqlite://  and sqlite://:memory:  and sqlite:///:memory:  are memory; ///x relative; ////x absolute
    let database: string
    if (rest === '' || rest === ':memory:' || rest === '/:memory:' || rest === '/') database = ':memory:'
    else if (rest.startsWith('/')) database = decodeURIComponent(rest.slice(1))
    else throw new ArgumentError(`Could not parse SQLite URL '${input}': use sqlite+sqlite3:///relative.db, sqlite+sqlite3:////absolute.db or sqlite+sqlite3://:memory:`)
    return new DatabaseUrl({ dialect, driver, database, query })
  }
  let username: string | undefined
  let password: string | undefined
  const at = rest.lastIndexOf('@', rest.indexOf('/') >= 0 ? rest.indexOf('/') : rest.length)
  let hostPart = rest
  if (at >= 0) {
    const auth = rest.slice(0, at)
    hostPart = rest.slice(at + 1)
    const colon = auth.indexOf(':')
    username = decodeURIComponent(colon < 0 ? auth : auth.slice(0, colon))
    if (colon >= 0) password = decodeURIComponent(auth.slice(colon + 1))
  }
  const slash = hostPart.indexOf('/')
  const database = slash >= 0 ? decodeURIComponent(hostPart.slice(slash + 1)) || undefined : undefined
  const hostPort = slash >= 0 ? hostPart.slice(0, slash) : hostPart
  let host: string | undefined
  let port: number | undefined
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort)
  if (v6) { host = v6[1]; port = v6[2] ? Number(v6[2]) : undefined } else {
    const c = hostPort.lastIndexOf(':')
    if (c >= 0) {
      host = hostPort.slice(0, c) || undefined
      const p = hostPort.slice(c + 1)
      if (!/^\d+$/.test(p)) throw new ArgumentError(`Invalid port '${p}' in database URL ${new DatabaseUrl({ dialect, driver, username, password: password === undefined ? undefined : 'x', host })}`)
      port = Number(p)
    } else host = hostPort ? decodeURIComponent(hostPort) : undefined
  }
  return new DatabaseUrl({ dialect, driver, username, password, host, port, database, query })
}

function maskRaw(s: string): string {
  return s.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')
}
