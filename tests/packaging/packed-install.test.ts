import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const exec = promisify(execFile)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const PG_URL = process.env.RETORT_PG_URL ?? 'postgresql+pg://postgres@127.0.0.1:5432/test'

/** The app's environment: the user's, minus what pnpm and the test runner inject (NODE_PATH would reveal the workspace). */
function appEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|NODE_PATH$|NODE_OPTIONS$|VITEST|TURBO_)/i.test(k)) continue
    env[k] = v
  }
  return env
}

const APP = `
import { Integer, MetaData, Text, column, createAsyncEngine, insert, select, table, func } from '@retort/core'
const engine = createAsyncEngine(process.argv[2])       // no import of @retort/postgres: found on first connect
const metadata = new MetaData()
const items = table('pack_items', { id: column(Integer, { primaryKey: true }), name: column(Text, { nullable: false }) }, { metadata })
try {
  await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) })
  await engine.begin((c) => c.execute(insert(items).values([{ name: 'Jane' }, { name: 'Bob' }])))
  const rows = await engine.connect((c) => c.execute(select(items.c.id, items.c.name).where(items.c.name.like('J%'))))
  const count = await engine.connect(async (c) => (await c.execute(select(func.count()).selectFrom(items))).scalar())
  console.log(JSON.stringify({ dialect: engine.dialect.name, names: rows.all().map((r) => r.name), count }))
} finally {
  await engine.begin((c) => metadata.dropAll(c)).catch(() => {})
  await engine.dispose()
}
`

const ORM_APP = `
import { Integer, MetaData, Model, Text, column, createAsyncEngine, hasMany, select, selectinload, sessionmaker } from '@retort/core'
const engine = createAsyncEngine(process.argv[2])
const metadata = new MetaData()
class User extends Model('pack_orm_users', {
  id: column(Integer, { primaryKey: true }),
  name: column(Text, { nullable: false }),
  orders: hasMany(() => Order, { backref: 'user', orderBy: () => Order.c.id }),
}, { metadata }) {}
class Order extends Model('pack_orm_orders', {
  id: column(Integer, { primaryKey: true }),
  userId: column(Integer, { foreignKey: 'pack_orm_users.id', name: 'user_id', nullable: false }),
  total: column(Integer, { nullable: false }),
}, { metadata }) {}
try {
  await engine.begin(async (c) => { await metadata.dropAll(c); await metadata.createAll(c) })
  const Session = sessionmaker(engine, { expireOnCommit: false })
  const out = await Session.begin(async (session) => {
    const jane = new User({ name: 'Jane' })
    for (const total of [100, 200]) new Order({ total }).user = jane
    session.add(jane)
    const users = await session.scalars(select(User).options(selectinload(User.c.orders)).orderBy(User.c.id))
    return users.all().map((u) => [u.name, u.orders.map((o) => o.total)])
  })
  console.log(JSON.stringify(out))
} finally {
  await engine.begin((c) => metadata.dropAll(c)).catch(() => {})
  await engine.dispose()
}
`

const CJS_APP = `
const { createAsyncEngine, text } = require('@retort/core')
const engine = createAsyncEngine(process.argv[2])
engine.connect(async (c) => Number((await c.execute(text('SELECT 41 + 1'))).scalar()))
  .then((v) => { console.log(JSON.stringify(v)); return engine.dispose() })
`

const TYPES = `
import { type AsyncConnection, type AsyncSession, type Row, Integer, Model, Text, column, createAsyncEngine, isPoolTimeoutError, select, table } from '@retort/core'
import type { Dialect } from '@retort/core/dialect'
import type { PostgresDialect } from '@retort/postgres'

const users = table('users', { id: column(Integer, { primaryKey: true }), name: column(Text, { nullable: false }) })
export async function names(conn: AsyncConnection): Promise<string[]> {
  const rows: Row<[number, string]>[] = (await conn.execute(select(users.c.id, users.c.name))).all()
  return rows.map((r) => r[1])
}
export const engine = createAsyncEngine('postgresql+pg://u@h/db', { poolSize: 2, poolTimeout: 1000 })
export const guard: (e: unknown) => boolean = isPoolTimeoutError
export const dialectType = (d: PostgresDialect): Dialect => d

export class Customer extends Model<Customer>('customers') {
  @column(Integer, { primaryKey: true }) accessor id!: number
  @column(Text, { nullable: false }) accessor name!: string
  @column(Text) accessor email!: string | null
}
export async function customerNames(session: AsyncSession): Promise<string[]> {
  const found: Customer[] = (await session.scalars(select(Customer).where(Customer.c.name.like('J%')))).all()
  return found.map((c) => c.name)
}
export const fresh = new Customer({ name: 'Jane' })
`

/** Every file a package's `exports` map points at. */
function exportedFiles(dir: string): string[] {
  const out = new Set<string>()
  const walk = (v: unknown): void => {
    if (typeof v === 'string') { if (v.startsWith('./dist/')) out.add(v.slice(2)) } else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports)
  return [...out]
}

/**
 * `pnpm pack` a built package, and check the tarball holds every exported file.
 * In a checkout shared with others a rebuild may be emptying dist/ right now: wait and pack again.
 */
async function packBuilt(dir: string, dest: string): Promise<string> {
  const wanted = exportedFiles(dir)
  for (let attempt = 0; ; attempt++) {
    const { stdout } = await exec('pnpm', ['pack', '--pack-destination', dest], { cwd: dir })
    const tarball = stdout.trim().split('\n').at(-1)!
    const listed = (await exec('tar', ['-tzf', tarball])).stdout
    const missing = wanted.filter((f) => !listed.includes('package/' + f))
    if (!missing.length) return tarball
    if (attempt === 20) throw new Error(`${tarball} lacks ${missing.join(', ')}: run pnpm build first`)
    await new Promise((r) => setTimeout(r, 3000))
  }
}

describe('packed install', () => {
  const work = mkdtempSync(join(tmpdir(), 'eng_pack_'))
  afterAll(() => { rmSync(work, { recursive: true, force: true }) })

  it('an app outside the workspace installs the packed tarballs and pg, connects with a URL alone (ESM and CommonJS), uses the ORM, and type-checks under lib ES2022 without skipLibCheck', async () => {
    const tarballs = join(work, 'tarballs')
    mkdirSync(tarballs)
    const files: string[] = []
    for (const pkg of ['core', 'postgres']) files.push(await packBuilt(join(root, 'packages', pkg), tarballs))

    const app = join(work, 'app')
    mkdirSync(app)
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'packed-app', private: true, type: 'module' }))
    const env = appEnv()
    await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, 'pg@8.23.1', 'typescript@5.9.3'], { cwd: app, env, timeout: 240_000 })

    writeFileSync(join(app, 'app.mjs'), APP)
    const { stdout } = await exec(process.execPath, ['app.mjs', PG_URL], { cwd: app, env })
    expect(JSON.parse(stdout)).toEqual({ dialect: 'postgresql', names: ['Jane'], count: 2 })

    writeFileSync(join(app, 'orm.mjs'), ORM_APP)
    const orm = await exec(process.execPath, ['orm.mjs', PG_URL], { cwd: app, env })
    expect(JSON.parse(orm.stdout)).toEqual([['Jane', [100, 200]]])

    writeFileSync(join(app, 'app.cjs'), CJS_APP)
    expect((await exec(process.execPath, ['app.cjs', PG_URL], { cwd: app, env })).stdout.trim()).toBe('42')

    writeFileSync(join(app, 'check.ts'), TYPES)
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ['check.ts'],
    }))
    const tsc = await exec(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app, env }).catch((e: { stdout: string }) => e)
    expect(tsc.stdout).toBe('')
  }, 300_000)
})
