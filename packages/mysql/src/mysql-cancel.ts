import type { MysqlConnection, MysqlModule } from './mysql-driver-types.js'

/** Open a mysql2 connection and wait for its handshake; a failed one is destroyed. */
export function openRaw(mysql: MysqlModule, config: Record<string, unknown>): Promise<MysqlConnection> {
  return new Promise((resolve, reject) => {
    const raw = mysql.createConnection(config)
    // errors before the handshake also reach `connect`'s callback; this keeps a late one from crashing
    raw.on('error', () => {})
    raw.connect((err) => {
      if (!err) return resolve(raw)
      raw.destroy()
      reject(err)
    })
  })
}

/**
 * `KILL QUERY <threadId>` over a separate short-lived connection, sent only
 * if `stillRunning()` holds once that connection is open (so a statement
 * that already finished is never killed). Resolves to whether it was sent,
 * after the server acknowledged it.
 */
export async function killQuery(
  mysql: MysqlModule, config: Record<string, unknown>, threadId: number, stillRunning: () => boolean, onSend: () => void,
): Promise<boolean> {
  const side = await openRaw(mysql, config)
  try {
    if (!stillRunning()) return false
    onSend()
    await new Promise<void>((resolve, reject) => {
      side.query({ sql: 'KILL QUERY ?', values: [threadId] }, (err) => (err ? reject(err) : resolve()))
    })
    return true
  } finally {
    side.end(() => {})
  }
}
