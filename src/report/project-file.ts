import path from 'node:path'

/** A file as reports and annotations name it: relative to the working directory when inside it, else absolute. */
export function projectFile(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file
}
