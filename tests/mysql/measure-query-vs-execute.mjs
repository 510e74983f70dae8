// Measures mysql2 query() (client-side binding) against execute() (server-side
// prepared statements) on the local MariaDB: a key lookup and a 10k-row select.
// Not a test. Run: node tests/mysql/measure-query-vs-execute.mjs  (figures in docs/mysql-driver-notes.md)
import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const mysql = require('mysql2/promise')

const config = { host: '127.0.0.1', user: 'root', database: 'test', rowsAsArray: true, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true }
const conn = await mysql.createConnection(config)
await conn.query('DROP TABLE IF EXISTS myx_measure_items')
await conn.query('CREATE TABLE myx_measure_items (id INT PRIMARY KEY, name VARCHAR(40), qty INT, price DECIMAL(10,2)) ENGINE=InnoDB')
await conn.query("INSERT INTO myx_measure_items SELECT seq, CONCAT('item ', seq), seq % 97, seq / 7 FROM seq_1_to_10000")

/** Median µs per call of `a` and `b`, measured in alternating rounds (the machine is shared: noise hits both alike). */
async function compare(label, n, a, b) {
  for (let i = 0; i < Math.min(200, n); i++) { await a(i); await b(i) } // warm up
  const runs = [[], []]
  for (let r = 0; r < 7; r++) {
    for (const [k, fn] of [a, b].entries()) {
      const t = performance.now()
      for (let i = 0; i < n; i++) await fn(i)
      runs[k].push((performance.now() - t) / n)
    }
  }
  const [qa, eb] = runs.map((x) => x.sort((p, q) => p - q)[3] * 1000)
  console.log(`${label.padEnd(22)} query() ${qa.toFixed(1).padStart(7)} µs   execute() ${eb.toFixed(1).padStart(7)} µs   execute/query ${(eb / qa).toFixed(2)}x`)
}

const lookup = 'SELECT id, name, qty, price FROM myx_measure_items WHERE id = ?'
const many = 'SELECT id, name, qty, price FROM myx_measure_items WHERE id > ?'
await compare('key lookup', 2000, (i) => conn.query(lookup, [1 + (i % 10000)]), (i) => conn.execute(lookup, [1 + (i % 10000)]))
await compare('10k rows', 30, () => conn.query(many, [0]), () => conn.execute(many, [0]))
let shape = 0 // a new statement shape every call: execute() prepares it first (one more round trip, server memory)
const shaped = (i) => `SELECT id AS c${shape++} FROM myx_measure_items WHERE id = ?`
await compare('new shape every call', 200, (i) => conn.query(shaped(i), [1 + i]), (i) => conn.execute(shaped(i), [1 + i]))

// the binary protocol's quirks
const [[limitRow]] = await conn.execute('SELECT id FROM myx_measure_items ORDER BY id LIMIT ?', [1]).catch((e) => [[[`LIMIT ? fails: ${e.message}`]]])
console.log('execute() with LIMIT ?:', limitRow)
const [[globalCount]] = await conn.query("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'")
const [[max]] = await conn.query('SELECT @@max_prepared_stmt_count')
console.log('server-side prepared statements (all sessions):', globalCount[1], 'of max_prepared_stmt_count', max[0])

await conn.query('DROP TABLE myx_measure_items')
await conn.end()
