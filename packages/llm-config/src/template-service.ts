import { LRUCache } from 'lru-cache'
import { canonicalJson, sha256 } from './canonical-json.js'
import { type Clock, systemClock } from './clock.js'
import { type LlmCacheOptionsInput, resolveCacheOptions } from './defaults.js'
import type { TemplateMetadata } from './entities.js'
import { LlmError, TemplateNotFoundError, TemplateRenderingError, TemplateStorageUnavailableError } from './errors.js'
import { findInteraction } from './interactions.js'
import type { L2Cache } from './l2-cache.js'
import { type CacheLayer, type Codec, LayeredCache } from './layered-cache.js'
import type { TemplateContentStore } from './s3-client.js'
import { type CompiledTemplate, createTemplateEngine } from './template-engine.js'
import type { TemplateMetadataStore } from './template-repository.js'

/** A template ready to render: its metadata and its text. */
export interface Template {
  metadata: TemplateMetadata
  content: string
  /** sha256 of the content; compiled and rendered caches are keyed by it. */
  contentHash: string
}

export interface TemplateFetchTrace {
  metadata: CacheLayer
  content: CacheLayer
}

export interface RenderOptions {
  /**
   * Throw TemplateRenderingError when the template uses a variable the parameters lack,
   * instead of rendering it as empty text. @default false
   */
  strict?: boolean
}

export interface RenderTrace {
  template: TemplateFetchTrace
  /** `L1`: the rendered output cache answered; `source`: the template was executed. */
  output: CacheLayer
  /** Whether the compiled function came from the compiled cache; undefined when output was cached. */
  compiled?: 'cached' | 'compiled'
}

/** Counters of the compiled-template cache. */
export interface CompiledCacheCounters {
  hits: number
  misses: number
}

export interface TemplateServiceOptions {
  repository: TemplateMetadataStore
  contentStore: TemplateContentStore
  cache?: LlmCacheOptionsInput
  /** Shared second-level cache for metadata and content (e.g. `RedisL2Cache`). */
  l2?: L2Cache
  /** @default Date.now */
  now?: Clock
}

interface Content {
  text: string
  hash: string
}

const metadataCodec: Codec<TemplateMetadata> = {
  encode: (value) => JSON.stringify(value),
  decode(text) {
    const raw = JSON.parse(text) as TemplateMetadata & { createdAt: string; updatedAt: string }
    return { ...raw, createdAt: new Date(raw.createdAt), updatedAt: new Date(raw.updatedAt) }
  },
}

function isNoSuchKey(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | null
  return e?.name === 'NoSuchKey' || e?.Code === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404
}

const notLlmError = (error: unknown) => !(error instanceof LlmError)

/**
 * Prompt templates: metadata from the database, text from S3, each cached; rendering through
 * a compiled-template cache and a rendered-output cache.
 */
export class TemplateService {
  /** Template metadata cache (by id, and `active:<INTERACTION>`). */
  readonly metadataCache: LayeredCache<TemplateMetadata>
  /** Template text cache (by `bucket/key`). */
  readonly contentCache: LayeredCache<Content>
  /** Rendered output cache (by template, content hash, strictness and parameter hash). */
  readonly renderedCache: LayeredCache<string>
  /** Compiled-template cache counters. */
  readonly compiledCounters: CompiledCacheCounters = { hits: 0, misses: 0 }
  private readonly compiled: LRUCache<string, CompiledTemplate>
  private readonly engine = createTemplateEngine()
  private readonly repository: TemplateMetadataStore
  private readonly contentStore: TemplateContentStore

  constructor(options: TemplateServiceOptions) {
    const cacheOptions = resolveCacheOptions(options.cache)
    const now = options.now ?? systemClock
    this.repository = options.repository
    this.contentStore = options.contentStore
    const common = { now, staleRetentionMs: cacheOptions.staleRetentionMs, l2: options.l2 }
    this.metadataCache = new LayeredCache<TemplateMetadata>({
      name: 'llm:template-metadata',
      ...cacheOptions.templateMetadata,
      ...common,
      sizeOf: (m) => 512 + m.description.length * 2,
      codec: metadataCodec,
      serveStaleOn: notLlmError,
    })
    this.contentCache = new LayeredCache<Content>({
      name: 'llm:template-content',
      ...cacheOptions.templateContent,
      ...common,
      sizeOf: (c) => c.text.length * 2 + 64,
      serveStaleOn: notLlmError,
    })
    // Rendered prompts are cheap to recompute and specific to one caller: L1 only, never stale.
    this.renderedCache = new LayeredCache<string>({
      name: 'llm:rendered',
      ...cacheOptions.renderedOutput,
      now,
      staleRetentionMs: 0,
      sizeOf: (text) => text.length * 2,
      serveStaleOn: () => false,
    })
    this.compiled = new LRUCache<string, CompiledTemplate>({ max: cacheOptions.compiledTemplates.max })
  }

  /** Metadata and text of a template, by id. */
  async getTemplate(templateId: string): Promise<Template> {
    return (await this.getTemplateWithTrace(templateId)).template
  }

  /** As `getTemplate`, plus which cache layer answered for metadata and for content. */
  async getTemplateWithTrace(templateId: string): Promise<{ template: Template; trace: TemplateFetchTrace }> {
    const metadata = await this.metadataCache.get(templateId, async () => {
      const found = await this.repository.findById(templateId)
      if (!found) {
        throw new TemplateNotFoundError(`No template with id "${templateId}". Check the configuration's templateId.`, {
          templateId,
        })
      }
      return { value: found }
    })
    const { s3Bucket, s3Key } = metadata.value
    let content
    try {
      content = await this.contentCache.get(`${s3Bucket}/${s3Key}`, async () => {
        try {
          const text = await this.contentStore.getContent(s3Bucket, s3Key)
          return { value: { text, hash: sha256(text) } }
        } catch (error) {
          if (!isNoSuchKey(error)) throw error
          throw new TemplateNotFoundError(
            `Template "${templateId}" points at s3://${s3Bucket}/${s3Key}, which does not exist. Upload it or fix the metadata.`,
            { templateId, s3Bucket, s3Key },
            { cause: error },
          )
        }
      })
    } catch (error) {
      if (error instanceof LlmError) throw error
      throw new TemplateStorageUnavailableError(templateId, s3Bucket, s3Key, { cause: error })
    }
    return {
      template: { metadata: metadata.value, content: content.value.text, contentHash: content.value.hash },
      trace: { metadata: metadata.layer, content: content.layer },
    }
  }

  /** Metadata of the highest active version of the interaction's template. */
  async getActiveTemplateForInteraction(interactionCode: string): Promise<TemplateMetadata> {
    const result = await this.metadataCache.get(`active:${interactionCode}`, async () => {
      const found = await this.repository.findActiveByInteraction(interactionCode)
      if (!found) {
        throw new TemplateNotFoundError(`No active template for interaction "${interactionCode}".`, { interactionCode })
      }
      return { value: found }
    })
    return result.value
  }

  /** Renders a template with parameters. Required parameters come from the interaction registry. */
  async render(templateId: string, parameters: Record<string, unknown>, options: RenderOptions = {}): Promise<string> {
    return (await this.renderWithTrace(templateId, parameters, options)).text
  }

  /** As `render`, plus which caches answered. */
  async renderWithTrace(templateId: string, parameters: Record<string, unknown>, options: RenderOptions = {}): Promise<{ text: string; trace: RenderTrace }> {
    const strict = options.strict ?? false
    const { template, trace: templateTrace } = await this.getTemplateWithTrace(templateId)
    const required = findInteraction(template.metadata.interactionCode)?.requiredParameters ?? template.metadata.requiredParameters
    const missing = required.filter((name) => parameters[name] === undefined || parameters[name] === null)
    if (missing.length > 0) {
      throw new TemplateRenderingError(
        `Template "${templateId}" (${template.metadata.interactionCode}) is missing required parameters: ${missing.join(', ')}.`,
        templateId,
        missing,
      )
    }
    let compiledFrom: RenderTrace['compiled']
    const key = `${templateId}:${template.contentHash}:${strict ? 'strict' : 'lenient'}:${sha256(canonicalJson(parameters))}`
    const output = await this.renderedCache.get(key, async () => {
      const compiledKey = `${strict ? 'strict' : 'lenient'}:${template.contentHash}`
      let fn = this.compiled.get(compiledKey)
      if (fn) {
        this.compiledCounters.hits++
        compiledFrom = 'cached'
      } else {
        this.compiledCounters.misses++
        compiledFrom = 'compiled'
        fn = this.engine.compile(templateId, template.content, { strict })
        this.compiled.set(compiledKey, fn)
      }
      return { value: this.execute(templateId, fn, parameters) }
    })
    return { text: output.value, trace: { template: templateTrace, output: output.layer, compiled: compiledFrom } }
  }

  private execute(templateId: string, fn: CompiledTemplate, parameters: Record<string, unknown>): string {
    try {
      const text = fn(parameters)
      // Handlebars joins many small strings; V8 keeps the result as a rope of pieces, which
      // holds more heap than the cache's size estimate. Converting it to a number forces V8 to
      // flatten it (the `flatstr` trick), so cached outputs stay within the cache's maxSize.
      Number(text)
      return text
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const undefinedName = /"([^"]+)" not defined/.exec(message)?.[1]
      throw new TemplateRenderingError(
        undefinedName
          ? `Template "${templateId}" uses "${undefinedName}", which the parameters do not define (strict mode).`
          : `Template "${templateId}" failed to render: ${message}`,
        templateId,
        undefinedName ? [undefinedName] : [],
        { cause: error },
      )
    }
  }

  /** Forgets a template's metadata and content (e.g. after a new version was uploaded). */
  async invalidate(templateId: string): Promise<void> {
    const metadata = this.metadataCache.peek(templateId)
    await this.metadataCache.delete([templateId])
    if (metadata) await this.contentCache.delete([`${metadata.s3Bucket}/${metadata.s3Key}`])
  }

  /** Empties every template cache: metadata, content, compiled, rendered (with `l2: true` the shared L2 too). */
  async clear(options: { l2?: boolean } = {}): Promise<void> {
    this.compiled.clear()
    await Promise.all([this.metadataCache.clear(options), this.contentCache.clear(options), this.renderedCache.clear()])
  }

  /** Compiled templates held. */
  get compiledSize(): number {
    return this.compiled.size
  }
}
