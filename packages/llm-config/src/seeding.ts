import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { ConfigurationRepository } from './configuration-repository.js'
import { buildSeedData, type SeedDataSet } from './seed-data.js'
import type { TemplateRepository } from './template-repository.js'
import { generateVolume, type VolumeDataSet, type VolumeOptions } from './volume-generator.js'

export interface SeedTarget {
  configurations: ConfigurationRepository
  templates: TemplateRepository
}

/**
 * Loads the seed data set into the database (replacing what is there unless `replace:
 * false`) and, when a client is given, uploads the template text to S3.
 */
export async function seedLlmData(target: SeedTarget & { s3?: S3Client }, options: { bucket: string; now?: number; replace?: boolean }): Promise<SeedDataSet> {
  const data = buildSeedData(options)
  if (options.replace ?? true) {
    await target.configurations.deleteAll()
    await target.templates.deleteAll()
  }
  await target.configurations.insert(data.configurations)
  await target.templates.insert(data.templates)
  if (target.s3) await uploadTemplateObjects(target.s3, options.bucket, data.objects)
  return data
}

/** Adds production-like volumes (default 10,000 configurations, 1,000 templates) to the database. */
export async function seedVolume(target: SeedTarget, options: VolumeOptions): Promise<VolumeDataSet> {
  const data = generateVolume(options)
  await target.configurations.insert(data.configurations)
  await target.templates.insert(data.templates)
  return data
}

/** Creates the bucket if it is missing and puts every object (key → text). */
export async function uploadTemplateObjects(client: S3Client, bucket: string, objects: Record<string, string>): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }))
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
  }
  const entries = Object.entries(objects)
  // A few at a time: s3rver writes to disk and gains nothing from a burst.
  for (let i = 0; i < entries.length; i += 8) {
    await Promise.all(
      entries
        .slice(i, i + 8)
        .map(([key, body]) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/x-handlebars-template' }))),
    )
  }
}
