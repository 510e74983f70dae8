import { Integer, MetaData, Model, Text, column, createAsyncEngine, select, sessionmaker, insert } from '@retort/core'
import '@retort/postgres'; import '@retort/sqlite'; import '@retort/mysql'
import pg from 'pg'
const url = process.argv[2]
const md = new MetaData()
class U extends Model('orm_benchl_u', { id: column(Integer, { primaryKey: true }), name: column(Text), email: column(Text), score: column(Integer) }, { metadata: md }) {}
const engine = createAsyncEngine(url)
const S = sessionmaker(engine, { expireOnCommit: false })
await engine.begin(async (c) => { await md.dropAll(c); await md.createAll(c) })
await engine.begin(async (c) => { await c.executeMany(insert(U.table), Array.from({ length: 10000 }, (_, i) => ({ name: 'n' + i, email: 'e' + i, score: i }))) })
const med = async (n, fn) => { for (let i = 0; i < 5; i++) await fn(); const ts = []; for (let i = 0; i < n; i++) { const t = performance.now(); await fn(); ts.push(performance.now() - t) } ts.sort((a, b) => a - b); return ts[Math.floor(n / 2)] }
const r = {}
if (url.startsWith('postgresql')) { const c = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test' }); await c.connect(); r.rawDriver = await med(30, () => c.query({ text: 'SELECT id, name, email, score FROM orm_benchl_u', rowMode: 'array' })); await c.end() }
r.core = await med(30, () => engine.connect((c) => c.execute(select(U.table))))
r.orm = await med(30, async () => { const s = S(); (await s.scalars(select(U))).all(); await s.close() })
console.log(url.split(':')[0], JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, +v.toFixed(2)]))))
await engine.begin((c) => md.dropAll(c)); await engine.dispose()
