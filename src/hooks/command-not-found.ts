import { Errors, type Hook, toConfiguredId } from '@oclif/core'

import { exitCodes } from '../core/errors.js'

/** Edit distance between two command ids (insert, delete, substitute, swap of neighbours). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** The closest command id, when it is close enough to be what was meant (at most a third of its letters differ). */
export function closestCommand(id: string, ids: string[]): string | undefined {
  const ranked = ids.map((c) => ({ c, d: editDistance(id, c) })).sort((x, y) => x.d - y.d)
  const best = ranked[0]
  return best && best.d <= Math.max(2, Math.floor(best.c.length / 3)) ? best.c : undefined
}

/**
 * A mistyped command: say which one was probably meant, non-interactively (CI logs have no
 * prompt to answer), and exit 2 like every other usage error. oclif's plugin-not-found prompts
 * on a TTY and says nothing else, with exit 127.
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const ids = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases])
  const typed = toConfiguredId(opts.id, opts.config)
  const best = closestCommand(opts.id, ids)
  const suggestions = [
    best ? `Did you mean \`${opts.config.bin} ${toConfiguredId(best, opts.config)}\`?` : '',
    `Run \`${opts.config.bin} --help\` for the list of commands.`,
  ].filter(Boolean)
  throw new Errors.CLIError(`'${typed}' is not a ${opts.config.bin} command.`, { exit: exitCodes.usage, code: 'COMMAND_NOT_FOUND', suggestions })
}

export default hook
