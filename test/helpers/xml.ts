import { readFileSync } from 'node:fs'
import { validateXML } from 'xmllint-wasm'

/** Jenkins xunit plugin's JUnit schema, kept in the fixtures. */
export const junitXsd = readFileSync(new URL('../fixtures/junit/junit-10.xsd', import.meta.url), 'utf8')

/** libxml2's schema validation (xmllint compiled to WebAssembly): the messages of every violation, [] when valid. */
export async function schemaErrors(xml: string, xsd: string = junitXsd): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'schema.xsd', contents: xsd }] })
  return result.valid ? [] : result.errors.map((e) => e.rawMessage)
}

/** Evaluates an XPath expression with libxml2 (`xmllint --xpath`) and returns its text output. */
export async function xpath(xml: string, expression: string): Promise<string> {
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    normalization: 'format',
    modifyArguments: () => ['--xpath', expression, 'report.xml'],
  })
  return result.normalized.trim()
}
