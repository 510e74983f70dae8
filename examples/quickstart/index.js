// Retort quickstart (JavaScript, object-style models). Runs on embedded SQLite unless
// DATABASE_URL names another backend, e.g. postgresql+pg://postgres@127.0.0.1/test.
import { createAsyncEngine } from '@retort/core'
import { run } from './app.js'

const engine = createAsyncEngine(process.env.DATABASE_URL ?? 'sqlite+sqlite3://:memory:')
try {
  await run(engine)
} finally {
  await engine.dispose()
}
