import { describe, expect, it } from 'vitest'
import { canonicalJson, sha256 } from '../src/index.js'

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}')
  })

  it('gives one hash for objects that differ only in key order', () => {
    expect(sha256(canonicalJson({ x: 1, y: [1, 2] }))).toBe(sha256(canonicalJson({ y: [1, 2], x: 1 })))
    expect(sha256(canonicalJson({ x: 1 }))).not.toBe(sha256(canonicalJson({ x: 2 })))
  })

  it('drops undefined members as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}')
  })
})
