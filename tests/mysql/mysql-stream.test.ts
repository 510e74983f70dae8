import { text } from '@retort/core'
import { afterAll, describe, expect, it } from 'vitest'
import { mariadb, processInfo, threadId } from './mysql-support.js'

const MILLION = text('SELECT seq FROM seq_1_to_1000000')

describe('MariaDB stream()', () => {
  const engine = mariadb()
  afterAll(() => engine.dispose())

  it('streams a million rows with bounded heap growth', async () => {
    await engine.connect(async (conn) => {
      globalThis.gc?.()
      const before = process.memoryUsage().heapUsed
      let peak = before
      let count = 0
      let sum = 0
      for await (const row of conn.stream(MILLION)) {
        count++
        sum += Number(row[0])
        if ((count & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed)
      }
      expect(count).toBe(1_000_000)
      expect(sum).toBe(500_000_500_000)
      // buffering a million rows takes well over 100 MB; streaming stays within a few batches
      expect(peak - before).toBeLessThan(64 * 1024 * 1024)
    })
  })

  it('break stops the statement on the server quickly and the connection runs the next one', async () => {
    await engine.connect(async (conn) => {
      const id = await threadId(conn)
      const started = performance.now()
      let n = 0
      for await (const row of conn.stream(MILLION, {}, { batchSize: 100 })) {
        if (++n === 10) { expect(Number(row[0])).toBe(10); break }
      }
      expect(performance.now() - started).toBeLessThan(1000)
      // nothing left running (MariaDB shows 'Killed' until the next command when the KILL ended it)
      expect(await processInfo(engine, id)).toMatchObject({ command: expect.stringMatching(/^(Sleep|Killed)$/), info: null })
      expect((await conn.execute(text('SELECT SLEEP(0.1), 40 + 2'))).all()[0][1]).toBe(42)
      expect(await threadId(conn)).toBe(id)
    })
  })

  it('a throw in the loop closes the stream too, and a later stream starts clean', async () => {
    await engine.connect(async (conn) => {
      await expect((async () => {
        for await (const row of conn.stream(MILLION)) if (Number(row[0]) === 5000) throw new Error('stop here')
      })()).rejects.toThrow('stop here')
      const firsts: unknown[] = []
      for await (const row of conn.stream(text('SELECT seq FROM seq_1_to_3'))) firsts.push(Number(row[0]))
      expect(firsts).toEqual([1, 2, 3])
    })
  })

  it('a stream whose connection is killed fails instead of hanging', async () => {
    const conn = await engine.connect()
    const id = await threadId(conn)
    const outcome = (async () => {
      let n = 0
      for await (const _ of conn.stream(text("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_1000000"), {}, { batchSize: 10 })) {
        if (++n === 20) await engine.connect((c) => c.execute(text('KILL CONNECTION :id'), { id }))
      }
    })()
    await expect(outcome).rejects.toMatchObject({ name: 'ConnectionError' })
    await conn.close()
  })
})
