// Every escaping of text for the formats perftrack writes: XML (JUnit), Markdown table cells, HTML.

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Text or attribute content for XML; control characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[&<>"']/g, (c) => xmlEntities[c])
}

/** A table cell for GitHub-flavoured Markdown: pipes and line breaks would end the cell. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))
    .replace(/\r?\n/g, ' ')
}

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for HTML element content and quoted attribute values.
 * Quotes are escaped too, so one function is safe in both places.
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => htmlEntities[c])
}

/**
 * Serializes a value as JSON that is safe inside `<script type="application/json">`.
 * `<` and `>` are escaped so no string can close the element (`</script>`) or open a
 * comment (`<!--`); `&` so the text never reads as an entity if it is moved into an
 * attribute; U+2028/U+2029 because they end a line in JavaScript before ES2019.
 * All are escaped as `\uXXXX`, which JSON.parse reads back as the same characters.
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null'
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
