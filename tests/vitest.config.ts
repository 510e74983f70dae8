import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // one database per backend is shared by every file: run files one at a time
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
