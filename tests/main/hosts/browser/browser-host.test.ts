import { mkdir, readFile, writeFile } from 'node:fs/promises'

import { testEngine } from '../../../support/test-engine'

import { request } from 'node:http'

import { connect as connectTcp } from 'node:net'

import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import WebSocket from 'ws'
import { silentLogger } from '../../../../src/main/engine/logging/logger'

import { type ParleyEngine } from '../../../../src/main/engine/parley-engine'
import { startBrowserHost, type BrowserHost } from '../../../../src/main/hosts/browser/browser-host'

import type { SettingsState } from '../../../../src/shared/settings-schema'

import { encodeMessage } from '../../../../src/shared/websocket-envelope'

import { captureFrame } from '../../../support/capture-frames'

import { makeTempDir } from '../../../support/temp-dir'

let dir: string
let cleanup: () => Promise<void>
let engine: ParleyEngine
let host: BrowserHost
let origin: string

beforeEach(async () => {
  ;({ dir, cleanup } = await makeTempDir())
  const rendererDir = path.join(dir, 'renderer')
  await mkdir(rendererDir)
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>')
  await writeFile(path.join(dir, 'secret.txt'), 'do not serve')
  await writeFile(path.join(rendererDir, '.hidden'), 'do not serve')
  await writeFile(path.join(rendererDir, 'rnnoise.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))
  engine = await testEngine(dir)
  host = await startBrowserHost({ engine, host: '127.0.0.1', port: 0, rendererDir, logger: silentLogger })
  origin = new URL(host.url).origin
})
afterEach(async () => {
  await host.close()
  await engine.close()
  await cleanup()
})

/** An HTTP GET with full control over the Host header (fetch does not allow setting it). */
function get(urlPath: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(origin)
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ hostname, port, path: urlPath, headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function connect(headers: Record<string, string> = { Origin: origin }) {
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/contract`, { headers })
  const messages: Array<Record<string, unknown>> = []
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())))
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    socket.once('error', reject)
  })
  let id = 0
  const invoke = async (channel: string, payload?: unknown) => {
    const callId = ++id
    socket.send(encodeMessage({ type: 'invoke', id: callId, channel, payload }))
    for (;;) {
      const found = messages.find((m) => m.type === 'result' && m.id === callId)
      if (found)
        return found.result as { ok: boolean; value?: SettingsState; error?: { code: string; message: string } }
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  return { socket, opened, messages, invoke }
}

describe('browser host', () => {
  it('serves the renderer with its CSP and security headers', async () => {
    const page = await get('/', { Host: new URL(origin).host })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Parley</title>')
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'.*frame-ancestors 'none'/)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
  })

  it('serves assets with their types (wasm as application/wasm) and the same headers', async () => {
    const wasm = await get('/rnnoise.wasm', { Host: new URL(origin).host })
    expect(wasm.status).toBe(200)
    expect(wasm.headers['content-type']).toBe('application/wasm')
    expect(wasm.headers['content-length']).toBe('8')
    expect(wasm.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
  })

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/%00',
    '/.hidden',
    '/%2ehidden'
  ])('never serves files outside the renderer: %s', async (urlPath) => {
    const response = await get(urlPath, { Host: new URL(origin).host })
    expect(response.status).toBe(404)
    expect(response.body).not.toContain('do not serve')
  })

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(421)
  })

  it('speaks the contract over the WebSocket and saves what it is told', async () => {
    const client = connect()
    await client.opened
    const result = await client.invoke('settings:update', { sampleRate: 44100 })
    expect(result).toMatchObject({ ok: true, value: { settings: { sampleRate: 44100 } } })
    const saved = JSON.parse(await readFile(path.join(dir, 'data', 'settings.json'), 'utf8'))
    expect(saved.settings.sampleRate).toBe(44100)
    client.socket.close()
  })

  it('answers a bad payload with a clear error and changes nothing', async () => {
    const client = connect()
    await client.opened
    await client.invoke('settings:update', { sampleRate: 16000 })
    const file = path.join(dir, 'data', 'settings.json')
    const before = await readFile(file, 'utf8')
    const bad = await client.invoke('settings:update', { sampleRate: 'max', releaseDelayMs: 99999 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } })
    expect(bad.error!.message).toMatch(/sampleRate/)
    expect(bad.error!.message).toMatch(/releaseDelayMs/)
    expect(await client.invoke('settings:wipe')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    expect(await readFile(file, 'utf8')).toBe(before)
    expect((await client.invoke('settings:get')).value?.settings.sampleRate).toBe(16000)
    client.socket.close()
  })

  it('takes binary capture frames on /capture, counts malformed ones, and closes on text', async () => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/capture`, { headers: { Origin: origin } })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    socket.send(captureFrame(48000, new Int16Array(960)))
    socket.send(new Uint8Array([1, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0])) // an absurd rate
    socket.send(new Uint8Array(3))
    const status = async () =>
      ((await engine.dispatch('voice:getStatus', undefined)) as { value: { captureRefused: number } }).value
    await expect.poll(async () => (await status()).captureRefused).toBe(2)
    const closed = new Promise<number>((resolve) => socket.once('close', resolve))
    socket.send('{"samples": []}')
    expect(await closed).toBe(1008)
  })

  it('refuses the capture and playback sockets to another origin', async () => {
    for (const route of ['/capture', '/playback']) {
      const socket = new WebSocket(`${origin.replace('http', 'ws')}${route}`, {
        headers: { Origin: 'http://evil.test' }
      })
      const status = await new Promise<number>((resolve) =>
        socket
          .once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
          .once('open', () => resolve(101))
      )
      expect(status).toBe(401)
    }
  })

  it('pushes settings changes to every connected page', async () => {
    const a = connect()
    const b = connect()
    await Promise.all([a.opened, b.opened])
    await a.invoke('settings:update', { displayName: 'Grace' })
    await expect
      .poll(() => b.messages.find((m) => m.type === 'event'))
      .toMatchObject({
        event: 'settings:changed',
        payload: { settings: { displayName: 'Grace' } }
      })
    a.socket.close()
    b.socket.close()
  })

  it.each([
    ['a page on another site', { Origin: 'http://evil.example' }],
    ['a client with no origin', {} as Record<string, string>],
    ['a page on another local port', { Origin: 'http://127.0.0.1:1' }]
  ])('refuses the contract socket to %s', async (_who, headers) => {
    await expect(connect(headers).opened).rejects.toThrow(/HTTP 401|HTTP 403/)
  })

  it('a malformed or oversized WebSocket frame closes that socket, never the host', async () => {
    const { hostname, port } = new URL(origin)
    /** Upgrades a raw TCP connection on `path`, sends `frame` as is, and waits for the host to hang up. */
    const rawFrame = (wsPath: string, frame: Buffer) =>
      new Promise<void>((resolve, reject) => {
        const tcp = connectTcp(Number(port), hostname, () => {
          tcp.write(
            `GET ${wsPath} HTTP/1.1\r\nHost: ${new URL(origin).host}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\n` +
              `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`
          )
        })
        let upgraded = false
        tcp.on('data', (data) => {
          if (!upgraded && data.toString().startsWith('HTTP/1.1 101')) {
            upgraded = true
            tcp.write(frame)
          }
        })
        tcp.on('error', () => {}) // the host may reset it
        tcp.on('close', () => (upgraded ? resolve() : reject(new Error('no upgrade'))))
      })
    const mask = Buffer.alloc(4)
    const frames = [
      Buffer.from([0x83, 0x80, ...mask]), // a reserved opcode
      Buffer.from([0xf1, 0x80, ...mask]), // reserved bits set
      Buffer.from([0x81, 0x05, ...Buffer.from('hello')]), // unmasked, which a client must never send
      Buffer.concat([Buffer.from([0x82, 0xff]), Buffer.from('0000000100000000', 'hex'), mask]) // 4 GB announced
    ]
    for (const wsPath of ['/contract', '/capture', '/playback'])
      for (const frame of frames) await rawFrame(wsPath, frame)
    // The host is still there.
    const next = connect()
    await next.opened
    expect((await next.invoke('settings:get')).ok).toBe(true)
    next.socket.close()
  })

  it('closes a socket that sends something that is not a contract message', async () => {
    const client = connect()
    await client.opened
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)))
    client.socket.send('{"type":"invoke","id":"one","channel":"settings:get"}')
    expect(await closed).toBe(1008)
    // The host is still there for everyone else.
    const next = connect()
    await next.opened
    expect((await next.invoke('settings:get')).ok).toBe(true)
    next.socket.close()
  })
})
