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
