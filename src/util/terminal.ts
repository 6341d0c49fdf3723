/**
 * Text from evidence shown on a terminal: a host's name, a file's line, a probe's output are the
 * host's words, and a hostile host can put terminal controls in them (`ESC ]0;title BEL` retitles
 * the window, `ESC [2J` clears the screen, a carriage return or backspaces overwrite a verdict
 * already printed, bidi overrides reorder what is shown). They are shown escaped, C-style, so the
 * reader sees that they are there and the terminal acts on none of them.
 */

// C0 controls but tab (and newline where kept), DEL, C1, and the Unicode bidi embeddings, overrides
// and isolates.
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\u001b': '\\e'}

function escapeOne(c: string): string {
  const named = NAMED[c]
  if (named) return named
  const code = c.charCodeAt(0)
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** `text` with every control character written out (`\e`, `\x07`, `\u202e`); newlines too unless `keepNewlines`. */
export function escapeControls(text: string, options: {keepNewlines?: boolean} = {}): string {
  return text.replace(options.keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, escapeOne)
}

/** Whether `text` holds anything escapeControls would change (newlines counted unless `keepNewlines`). */
export function hasControls(text: string, options: {keepNewlines?: boolean} = {}): boolean {
  const re = options.keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS
  re.lastIndex = 0
  const found = re.test(text)
  re.lastIndex = 0
  return found
}

/**
 * A copy of a JSON-shaped value with every string escaped; strings under the keys in `multiline`
 * keep their newlines (prose: messages, fixes), all others are one line.
 */
export function escapeDeep<T>(value: T, multiline: ReadonlySet<string> = new Set()): T {
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') return escapeControls(v, {keepNewlines: key !== undefined && multiline.has(key)})
    if (Array.isArray(v)) return v.map((item) => walk(item, key))
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, k)
      return out
    }
    return v
  }
  return walk(value, undefined) as T
}

/** What JSON.stringify and YAML leave raw but a terminal may act on: DEL, C1 and bidi controls. */
const RAW_IN_JSON = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * JSON text with DEL, C1 and bidi controls written as `\uXXXX` (JSON.stringify escapes only C0):
 * the same value, and nothing a terminal would act on. Valid because such characters only ever
 * occur inside JSON strings.
 */
export function escapeJsonText(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** YAML for `value` in which every string holding a terminal control is double-quoted and escaped. */
export async function safeYaml(value: unknown): Promise<string> {
  const {Document, visit, Scalar} = await import('yaml')
  // No anchors (aliasDuplicateObjects: false): each part reads whole on its own.
  const doc = new Document(value, {aliasDuplicateObjects: false})
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (hasControls(node.value, {keepNewlines: true}) || RAW_IN_JSON.test(node.value))) node.type = Scalar.QUOTE_DOUBLE
      RAW_IN_JSON.lastIndex = 0
    },
  })
  // Inside a double-quoted scalar `\uXXXX` is YAML's own escape; no other scalar holds these characters now.
  return escapeJsonText(doc.toString())
}
