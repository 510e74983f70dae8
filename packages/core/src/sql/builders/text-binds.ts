/** SQL text cut at its `:name` binds: `chunks[i]` comes before `names[i]`, the last chunk after every bind. */
export interface SplitText { chunks: string[]; names: string[] }

const WORD = /[A-Za-z0-9_]/
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/

/**
 * Split SQL text at `:name` binds, as SQLAlchemy's `text()` does. Left
 * alone: `::casts`, quoted strings and identifiers (`'...'`, `"..."`,
 * `` `...` ``, doubled quotes inside), PostgreSQL dollar-quoted bodies
 * (`$$...$$`, `$tag$...$tag$`), `--` and `/* *\/` comments, and a colon
 * right after a word character (`a:b`). `\:name` is a literal `:name`.
 */
export function splitBinds(sql: string): SplitText {
  const chunks: string[] = []
  const names: string[] = []
  let chunk = ''
  let i = 0
  const copyTo = (end: number): void => { chunk += sql.slice(i, end); i = end }
  while (i < sql.length) {
    const ch = sql[i]
    const next = sql[i + 1]
    if (ch === "'" || ch === '"' || ch === '`') {
      let end = sql.indexOf(ch, i + 1)
      while (end >= 0 && sql[end + 1] === ch) end = sql.indexOf(ch, end + 2)
      copyTo(end < 0 ? sql.length : end + 1)
    } else if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      copyTo(end < 0 ? sql.length : end)
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      copyTo(end < 0 ? sql.length : end + 2)
    } else if (ch === '$' && DOLLAR_TAG.test(sql.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64))![0]
      const end = sql.indexOf(tag, i + tag.length)
      copyTo(end < 0 ? sql.length : end + tag.length)
    } else if (ch === '\\' && next === ':') {
      chunk += ':'
      i += 2
    } else if (ch === ':' && next === ':') {
      copyTo(i + 2)
    } else if (ch === ':' && next !== undefined && /[A-Za-z_]/.test(next) && !(i > 0 && WORD.test(sql[i - 1]))) {
      let j = i + 1
      while (j < sql.length && WORD.test(sql[j])) j++
      chunks.push(chunk)
      names.push(sql.slice(i + 1, j))
      chunk = ''
      i = j
    } else {
      copyTo(i + 1)
    }
  }
  chunks.push(chunk)
  return { chunks, names }
}
