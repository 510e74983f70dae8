/** What every statement reports to `engine.events`. */
export interface StatementEvent {
  sql: string
  /** Bound values (`undefined` when the engine hides parameters). */
  parameters?: readonly unknown[]
  durationMs?: number
  error?: unknown
}

export type EngineEventName = 'beforeExecute' | 'afterExecute' | 'error'
type Listener = (e: StatementEvent) => void

/** A tiny typed emitter: `engine.events.on('afterExecute', fn)`. */
export class EngineEvents {
  private readonly listeners: Record<EngineEventName, Listener[]> = { beforeExecute: [], afterExecute: [], error: [] }
  /** Call `fn` for every statement at this point (`beforeExecute`, `afterExecute`, `error`). */
  on(name: EngineEventName, fn: Listener): this { this.listeners[name].push(fn); return this }
  /** Stop calling `fn`. */
  off(name: EngineEventName, fn: Listener): this { this.listeners[name] = this.listeners[name].filter((f) => f !== fn); return this }
  /** Whether anyone listens (lets the hot path skip building events). */
  has(name: EngineEventName): boolean { return this.listeners[name].length > 0 }
  /** @internal Call the listeners of `name`. */
  emit(name: EngineEventName, e: StatementEvent): void { for (const fn of this.listeners[name]) fn(e) }
}
