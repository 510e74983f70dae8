import type { ExecuteOptions } from './connection.js'
import type { DriverConnection } from './dialect.js'

/** Cancels the statement running on `conn` when `signal` aborts or `timeout` ms pass; `disarm()` when it settles. */
export class CancelWatch {
  canceled = false
  private readonly timer?: ReturnType<typeof setTimeout>
  private readonly onCancel = (): void => {
    this.canceled = true
    void this.conn.cancel().catch(() => {})
  }

  constructor(private readonly conn: DriverConnection, private readonly options: ExecuteOptions) {
    options.signal?.addEventListener('abort', this.onCancel, { once: true })
    if (options.timeout !== undefined) this.timer = setTimeout(this.onCancel, options.timeout)
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer)
    this.options.signal?.removeEventListener('abort', this.onCancel)
  }
}
