import Handlebars from 'handlebars'
import { TemplateSyntaxError } from './errors.js'

/** A compiled template: parameters in, prompt text out. */
export type CompiledTemplate = (parameters: Record<string, unknown>) => string

/** Helpers available to every template, by name. */
export const templateHelpers: Readonly<Record<string, Handlebars.HelperDelegate>> = Object.freeze({
  /** 1-based numbering: `{{inc @index}}`. */
  inc: (value: unknown) => Number(value) + 1,
  add: (a: unknown, b: unknown) => Number(a) + Number(b),
  eq: (a: unknown, b: unknown) => a === b,
  gte: (a: unknown, b: unknown) => Number(a) >= Number(b),
  lt: (a: unknown, b: unknown) => Number(a) < Number(b),
  join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : String(list ?? '')),
})

/**
 * A private Handlebars environment: helpers registered here do not leak into, or get
 * replaced by, other users of the global Handlebars instance.
 */
export function createTemplateEngine() {
  const env = Handlebars.create()
  for (const [name, helper] of Object.entries(templateHelpers)) env.registerHelper(name, helper)

  return {
    /**
     * Parses eagerly (Handlebars.compile alone defers parsing to the first call) so bad syntax
     * is reported at compile time, naming the template.
     */
    compile(templateId: string, source: string, options: { strict: boolean }): CompiledTemplate {
      let ast: hbs.AST.Program
      try {
        ast = env.parse(source)
      } catch (error) {
        throw new TemplateSyntaxError(templateId, error instanceof Error ? error.message : String(error), { cause: error })
      }
      // Prompts are plain text, so no HTML escaping; prototype-access protection stays at its safe default.
      const render = env.compile(ast, { noEscape: true, strict: options.strict })
      return (parameters) => render(parameters)
    },
  }
}

export type TemplateEngine = ReturnType<typeof createTemplateEngine>
