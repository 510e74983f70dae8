import { connect, type Socket } from 'node:net'

/** Where the server listens: a TCP host and port, or a Unix-socket folder (a host starting with `/`). */
export interface CancelTarget { host: string; port: number }

/** The backend a statement runs on, as its startup message announced it (BackendKeyData). */
export interface BackendKey { processID: number; secretKey: number }

const CANCEL_REQUEST_CODE = 80877102
const GIVE_UP_MS = 5_000

/**
 * Send PostgreSQL's protocol-level CancelRequest (what libpq's `PQcancel`
 * does): a fresh socket, 16 bytes, no authentication, no connection slot;
 * PgBouncer forwards it to the right server backend.
 *
 * `stillRunning()` is asked once the socket is open and the packet is sent
 * only if it is still true, so a cancel never leaves for a statement that
 * already finished. The promise settles when the server has closed the
 * socket, that is after it signalled the backend: a caller that waits for
 * it before sending its next statement can never have that statement
 * canceled by this request (a signal that meets an idle backend is ignored).
 */
export function sendCancelRequest(target: CancelTarget, key: BackendKey, stillRunning: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = target.host.startsWith('/')
      ? connect({ path: `${target.host}/.s.PGSQL.${target.port}` })
      : connect({ host: target.host, port: target.port })
    let sent = false
    socket.setTimeout(GIVE_UP_MS, () => socket.destroy())
    socket.on('error', () => socket.destroy())
    socket.on('close', () => resolve(sent))
    socket.on('connect', () => {
      if (!stillRunning()) { socket.destroy(); return }
      const packet = Buffer.alloc(16)
      packet.writeInt32BE(16, 0)
      packet.writeInt32BE(CANCEL_REQUEST_CODE, 4)
      packet.writeInt32BE(key.processID, 8)
      packet.writeInt32BE(key.secretKey, 12)
      sent = true
      socket.end(packet)
    })
  })
}
