/** What names one metric: the plugin and its benchmark. */
export interface MetricId {
  plugin: string
  benchmark: string
}

/**
 * A metric's one name everywhere — map keys, `--metric` and `--bench` globs, the config's
 * `thresholds`, JSON, reports: `plugin/benchmark`. Neither name may hold a `/`
 * (core/plugin-schema.ts), so the first `/` splits it back.
 */
export function metricKey(m: MetricId): string {
  return `${m.plugin}/${m.benchmark}`
}

/** The inverse of {@link metricKey}. */
export function parseMetricKey(key: string): MetricId {
  const at = key.indexOf('/')
  if (at < 0) return { plugin: key, benchmark: '' }
  return { plugin: key.slice(0, at), benchmark: key.slice(at + 1) }
}
