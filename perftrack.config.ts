// This repository keeps its bundled plugins in plugins/ (a new project's `perftrack init` uses perf/).
export default {
  pluginDirs: ['plugins'],
}
