// The public barrel: the plugin contract and nothing else (docs/architecture.md, "Layers").

export type {
  Benchmark,
  BenchmarkKind,
  Bound,
  Direction,
  Plugin,
  PluginContext,
  PluginLogger,
  Target,
  TargetOp,
  TargetStat,
} from './core/plugin-api.js'
export { BenchmarkSkipped, definePlugin, skip } from './core/plugin-api.js'
