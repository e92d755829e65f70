/**
 * Errors raised by the LLM configuration system. Each carries a stable `code` (for callers
 * that branch on it) and the details needed to act on it, so a log line alone is enough to
 * tell what was asked for and what to fix.
 */
export abstract class LlmError extends Error {
  abstract readonly code: string

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** No active, in-window configuration exists for the interaction, neither for the tier nor as default. */
export class ConfigurationNotFoundError extends LlmError {
  readonly code = 'LLM_CONFIGURATION_NOT_FOUND'

  constructor(
    readonly interactionCode: string,
    readonly tier: string | null,
    /** True when the default (tier null) configuration was also looked for. */
    readonly fallbackAttempted: boolean,
  ) {
    super(
      `No active LLM configuration for interaction "${interactionCode}" and tier "${tier ?? 'default'}"` +
        (fallbackAttempted ? ' (the default configuration was tried as a fallback and is missing too)' : '') +
        '. Add an active configuration whose effective window includes now, or check the codes.',
    )
  }
}

/** A stored configuration, or a request, names something the registries do not know. */
export class InvalidConfigurationError extends LlmError {
  readonly code = 'LLM_INVALID_CONFIGURATION'

  constructor(
    message: string,
    readonly details: {
      configurationId?: string
      interactionCode?: string
      tier?: string | null
      modelCode?: string
      field?: string
      issues?: string[]
    } = {},
  ) {
    super(message)
  }
}

/** No template metadata with that id (or no active template for that interaction), or no object in S3. */
export class TemplateNotFoundError extends LlmError {
  readonly code = 'LLM_TEMPLATE_NOT_FOUND'

  constructor(
    message: string,
    readonly details: { templateId?: string; interactionCode?: string; s3Bucket?: string; s3Key?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Parameters did not satisfy the template: required ones missing, or (strict mode) a variable undefined. */
export class TemplateRenderingError extends LlmError {
  readonly code = 'LLM_TEMPLATE_RENDERING'

  constructor(
    message: string,
    readonly templateId: string,
    readonly missingParameters: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** The template source is not valid Handlebars. */
export class TemplateSyntaxError extends LlmError {
  readonly code = 'LLM_TEMPLATE_SYNTAX'

  constructor(
    readonly templateId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Template "${templateId}" has invalid Handlebars syntax: ${reason}`, options)
  }
}

/** The template store (S3) could not be reached and no cached copy, fresh or stale, exists. */
export class TemplateStorageUnavailableError extends LlmError {
  readonly code = 'LLM_TEMPLATE_STORAGE_UNAVAILABLE'

  constructor(
    readonly templateId: string,
    readonly s3Bucket: string,
    readonly s3Key: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message || options.cause.name : String(options?.cause)
    super(
      `Template "${templateId}" content (s3://${s3Bucket}/${s3Key}) could not be fetched and no cached copy exists: ${reason}. ` +
        'Check the S3 endpoint and credentials.',
      options,
    )
  }
}
