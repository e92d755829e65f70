// Writes oclif.manifest.json after the build, so a CLI start reads the command list from it
// instead of importing every command module to find the one asked for (≈0.4 s per start;
// `perftrack compare` starts 16 processes). `npm run build` rewrites it; it is not committed.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { Config } from '@oclif/core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const config = await Config.load({ root })
const manifest = config.rootPlugin.manifest
if (Object.keys(manifest.commands).length === 0) throw new Error('oclif found no commands in dist/commands: build first')
writeFileSync(path.join(root, 'oclif.manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
