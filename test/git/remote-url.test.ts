import { describe, expect, it } from 'vitest'

import { webUrlOfRemote } from '../../src/git/remote-url.js'

describe('commit links from the git remote', () => {
  it('turns ssh, scp-like and https remotes into the repository page', () => {
    expect(webUrlOfRemote('git@github.com:owner/repo.git')).toBe('https://github.com/owner/repo')
    expect(webUrlOfRemote('ssh://git@gitlab.example.com:2222/group/sub/repo.git')).toBe('https://gitlab.example.com/group/sub/repo')
    expect(webUrlOfRemote('https://github.com/owner/repo.git\n')).toBe('https://github.com/owner/repo')
    expect(webUrlOfRemote('https://github.com/owner/repo')).toBe('https://github.com/owner/repo')
  })

  it('gives no links for a local path or a file remote', () => {
    expect(webUrlOfRemote('/srv/git/repo.git')).toBeUndefined()
    expect(webUrlOfRemote('file:///srv/git/repo.git')).toBeUndefined()
    expect(webUrlOfRemote('../other')).toBeUndefined()
  })
})
