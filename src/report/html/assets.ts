import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

export interface ChartAssets {
  /** uPlot's IIFE build; defines the global `uPlot`. */
  script: string
  style: string
}

let cached: Promise<ChartAssets> | undefined

/**
 * uPlot's script and stylesheet, read from the installed package so every page can
 * inline them: the report is opened from disk or a CI artifact, often offline.
 */
export function loadChartAssets(): Promise<ChartAssets> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url)
    const [script, style] = await Promise.all([
      readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    ])
    // Inlined text must not end its own element early; uPlot's builds never have, so
    // failing loudly beats escaping code we did not write.
    if (/<\/script/i.test(script) || /<\/style/i.test(style)) {
      throw new Error('uplot/dist contains "</script" or "</style" and cannot be inlined; pin a different uplot version in package.json.')
    }
    return { script, style }
  })()
  cached.catch(() => {
    cached = undefined
  })
  return cached
}
