import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'

/** Where templates live. The same shape serves AWS S3 and any S3-compatible server. */
export interface S3Config {
  /** Custom endpoint, e.g. `http://127.0.0.1:4568` for s3rver; omit for AWS. */
  endpoint?: string
  /** @default 'us-east-1' */
  region?: string
  bucket: string
  /** Omit to use the AWS default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string }
  /** Path-style URLs (`endpoint/bucket/key`); needed by s3rver and most S3-compatible servers. @default true when `endpoint` is set */
  forcePathStyle?: boolean
  /** SDK attempts per request, retries included. @default 3 */
  maxAttempts?: number
}

/** S3 requests sent by one client, counted by a middleware on the real client. */
export class S3RequestStats {
  /** Commands sent (one per `send`, however many retries it took). */
  requests = 0
  /** Commands sent, by command name, e.g. `{ GetObjectCommand: 3 }`. */
  byCommand: Record<string, number> = {}
  /** Commands that ended in an error. */
  errors = 0

  /** GetObject commands sent: the "S3 GETs" of the performance suite. */
  get gets(): number {
    return this.byCommand.GetObjectCommand ?? 0
  }

  reset(): void {
    this.requests = 0
    this.byCommand = {}
    this.errors = 0
  }
}

/** An S3 client built from configuration, with its request counter. */
export interface CountedS3Client {
  client: S3Client
  stats: S3RequestStats
  bucket: string
}

/** Builds an S3Client from configuration and attaches a request-counting middleware. */
export function createS3Client(config: S3Config): CountedS3Client {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region ?? 'us-east-1',
    credentials: config.credentials,
    forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined,
    maxAttempts: config.maxAttempts ?? 3,
    // Newer SDKs add CRC checksums to every request by default; s3rver and other
    // S3-compatible servers reject or mis-handle them, and AWS does not require them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  const stats = new S3RequestStats()
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'UnknownCommand'
      stats.requests++
      stats.byCommand[name] = (stats.byCommand[name] ?? 0) + 1
      try {
        return await next(args)
      } catch (error) {
        stats.errors++
        throw error
      }
    },
    { step: 'initialize', name: 'llmRequestCounter' },
  )
  return { client, stats, bucket: config.bucket }
}

/** What the template service needs from object storage; the latency decorator wraps this. */
export interface TemplateContentStore {
  getContent(bucket: string, key: string): Promise<string>
}

/** Reads template text with `GetObjectCommand`. Errors (NoSuchKey included) propagate as the SDK raised them. */
export class S3TemplateContentStore implements TemplateContentStore {
  constructor(private readonly client: S3Client) {}

  async getContent(bucket: string, key: string): Promise<string> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    if (!response.Body) throw new Error(`S3 returned no body for s3://${bucket}/${key}`)
    return response.Body.transformToString('utf-8')
  }
}
