import { z } from 'zod'

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'ids use letters, digits and . _ : - only')
const code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Z][A-Z0-9_]*$/, 'codes are UPPER_SNAKE_CASE')

/** Schema of a stored LLM configuration. Registry membership is checked at resolution, not here. */
export const configurationSchema = z
  .object({
    id,
    interactionCode: code,
    templateId: id,
    modelCode: code,
    /** `null` is the default configuration every tier falls back to. */
    tier: z.string().min(1).max(32).nullable(),
    temperature: z.number().min(0).max(2),
    maxTokens: z.number().int().positive(),
    topP: z.number().min(0).max(1),
    isActive: z.boolean(),
    effectiveFrom: z.date(),
    effectiveUntil: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .refine((c) => c.effectiveUntil === null || c.effectiveUntil >= c.effectiveFrom, {
    message: 'effectiveUntil must not be before effectiveFrom',
    path: ['effectiveUntil'],
  })

export type Configuration = z.infer<typeof configurationSchema>

/** Schema of a template's metadata. The template text itself lives in S3 at s3Bucket/s3Key. */
export const templateMetadataSchema = z.object({
  id,
  templateCode: code,
  interactionCode: code,
  name: z.string().min(1).max(200),
  description: z.string().max(2000),
  s3Bucket: z.string().min(3).max(63),
  s3Key: z.string().min(1).max(1024),
  version: z.number().int().positive(),
  isActive: z.boolean(),
  requiredParameters: z.array(z.string().min(1).max(64)),
  createdAt: z.date(),
  updatedAt: z.date(),
})

export type TemplateMetadata = z.infer<typeof templateMetadataSchema>
