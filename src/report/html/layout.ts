import { createHash } from 'node:crypto'
import { escapeHtml } from '../escape.js'
import { generatorMeta } from './out-dir.js'
import { reportCss } from './styles.js'

export interface PageShell {
  /** Plain text; escaped here. */
  title: string
  /** Trusted markup for `<main>`. */
  body: string
  /** Extra trusted CSS, inlined after the report's own. */
  style?: string
  /** Trusted markup placed at the end of `<body>` before the scripts (e.g. JSON data). */
  data?: string
  /** Trusted JavaScript sources, each inlined as one `<script>`, in order. */
  scripts?: string[]
  /** Script files of the report itself (relative URLs), loaded before the inlined ones. */
  scriptFiles?: string[]
}

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`
}

/**
 * The HTML document around a page. The Content-Security-Policy allows no fetch at all
 * and only the scripts we inlined (by hash), so a report opened from a CI artifact never
 * phones home, and an escaping bug could not run an injected `onerror=` handler.
 */
export function renderPage(page: PageShell): string {
  const scripts = page.scripts ?? []
  const files = page.scriptFiles ?? []
  // 'self' admits the report's own shared script files (also from file://); nothing from elsewhere.
  const sources = [...(files.length > 0 ? ["'self'"] : []), ...scripts.map(cspHash)]
  const scriptSrc = sources.length > 0 ? sources.join(' ') : "'none'"
  const csp = `default-src 'none'; script-src ${scriptSrc}; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    generatorMeta,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${reportCss}${page.style ? `\n${page.style}` : ''}</style>`,
    '</head>',
    '<body>',
    `<main>${page.body}</main>`,
    page.data ?? '',
    ...files.map((file) => `<script src="${escapeHtml(file)}"></script>`),
    ...scripts.map((source) => `<script>${source}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
