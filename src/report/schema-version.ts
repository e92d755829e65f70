/**
 * The version of the `--json` shapes of run, compare and history export. Fields are only ever
 * added within a version; a rename or removal would raise it, so a script can check it.
 * (The history file has its own `version`; BMF and github-action-benchmark files are those tools' formats and carry none.)
 */
export const jsonSchemaVersion = 1
