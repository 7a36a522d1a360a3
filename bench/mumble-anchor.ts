// Mumble (Debian's `mumble` and `mumble-server`) as the app bench's anchor: two clients talking
// through a local murmurd, on the same PulseAudio devices Parley's pages use.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { X509Certificate } from 'node:crypto'
import { userInfo } from 'node:os'
import path from 'node:path'
import { freeUdpPort } from '../tests/support/free-port'

export interface MumbleClient {
  pid: number
}

export interface MumbleAnchor {
  /**
   * Joins a client to the server as `name`, its microphone and speaker the PulseAudio devices
   * named; it sends continuously when `talks`, else only on a push-to-talk nobody presses.
   */
  join(name: string, source: string, sink: string, talks: boolean): Promise<MumbleClient>
  stop(): Promise<void>
}

const MURMURD = '/usr/sbin/murmurd'

export function hasMumble(): boolean {
  return spawnSync('mumble', ['--version']).error === undefined && spawnSync(MURMURD, ['-version']).error === undefined
}

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`openssl ${args[0]}: ${result.stderr}`)
}

/**
 * Mumble's database with the server's certificate already trusted (else it asks, in a dialog, and
 * closes the connection until someone answers).
 */
async function trustServer(home: string, port: number, digest: string): Promise<void> {
  const folder = path.join(home, '.local', 'share', 'Mumble', 'Mumble')
  await mkdir(folder, { recursive: true })
  const { DatabaseSync } = await import('node:sqlite')
  const database = new DatabaseSync(path.join(folder, 'mumble.sqlite'))
  database.exec(
    'CREATE TABLE `cert` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `hostname` TEXT, `port` INTEGER, `digest` TEXT);' +
      'CREATE UNIQUE INDEX `cert_host_port` ON `cert`(`hostname`,`port`)'
  )
  database.prepare('INSERT INTO cert (hostname, port, digest) VALUES (?, ?, ?)').run('127.0.0.1', port, digest)
  database.close()
}

/** A key and a two-day self-signed certificate for `name`, as PEM files. */
function selfSignedCertificate(key: string, certificate: string, name: string): void {
  const subject = `/CN=${name}`
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    certificate,
    '-days',
    '2',
    '-subj',
    subject
  ])
}

/**
 * A client certificate in Mumble.conf's own encoding (a PKCS#12 as a QSettings byte array): without
 * one, Mumble's first start waits on its certificate wizard for a click.
 */
async function identity(home: string, name: string): Promise<string> {
  const key = path.join(home, 'key.pem')
  const certificate = path.join(home, 'certificate.pem')
  const bundle = path.join(home, 'identity.p12')
  selfSignedCertificate(key, certificate, name)
  openssl(['pkcs12', '-export', '-inkey', key, '-in', certificate, '-passout', 'pass:', '-out', bundle])
  const bytes = await readFile(bundle)
  return `@ByteArray(${[...bytes].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')})`
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** murmurd with its own database and log in `dir`, and an Xvfb display for its clients. */
export async function startMumble(dir: string, env: NodeJS.ProcessEnv): Promise<MumbleAnchor> {
  await mkdir(dir, { recursive: true })
  // TCP and UDP on the same port; a free UDP port is free for TCP here often enough for a bench.
  const port = await freeUdpPort()
  // The server's certificate is made here, so its clients can be told to trust it beforehand.
  const serverKey = path.join(dir, 'server-key.pem')
  const serverCertificate = path.join(dir, 'server-certificate.pem')
  selfSignedCertificate(serverKey, serverCertificate, '127.0.0.1')
  const digest = new X509Certificate(await readFile(serverCertificate)).fingerprint.replaceAll(':', '').toLowerCase()
  const ini = path.join(dir, 'murmur.ini')
  await writeFile(
    ini,
    [
      `database=${path.join(dir, 'murmur.sqlite')}`,
      `logfile=${path.join(dir, 'murmur.log')}`,
      `pidfile=${path.join(dir, 'murmur.pid')}`,
      'host=127.0.0.1',
      `port=${port}`,
      'bandwidth=558000',
      `sslCert=${serverCertificate}`,
      `sslKey=${serverKey}`,
      'users=10',
      // As root it would switch to Debian's mumble-server user, who cannot open this folder.
      `uname=${userInfo().username}`,
      'serverpassword='
    ].join('\n') + '\n'
  )
  const processes: ChildProcess[] = []
  const server = spawn(MURMURD, ['-fg', '-ini', ini], { stdio: ['ignore', 'pipe', 'pipe'], env })
  let log = ''
  const onLog = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-100_000)
  }
  server.stdout!.on('data', onLog)
  server.stderr!.on('data', onLog)
  processes.push(server)
  const display = `:${90 + Math.floor(Math.random() * 400)}`
  const xvfb = spawn('Xvfb', [display, '-nolisten', 'tcp', '-screen', '0', '1024x768x24'], { stdio: 'ignore' })
  processes.push(xvfb)
  await sleep(1500)
  return {
    async join(name, source, sink, talks) {
      const home = path.join(dir, name)
      const config = path.join(home, '.config', 'Mumble')
      await mkdir(config, { recursive: true })
      await writeFile(
        path.join(config, 'Mumble.conf'),
        [
          // Not its first start: no audio wizard in the way.
          '[General]',
          'lastupdate=2',
          '',
          '[audio]',
          `transmit=${talks ? 0 : 2}`,
          'input=PulseAudio',
          'output=PulseAudio',
          '',
          '[pulseaudio]',
          `input=${source}`,
          `output=${sink}`,
          '',
          '[net]',
          `certificate=${await identity(home, name)}`,
          '',
          '[ui]',
          'updatecheck=false',
          ''
        ].join('\n')
      )
      await trustServer(home, port, digest)
      const client = spawn('mumble', ['-m', '-n', `mumble://${name}@127.0.0.1:${port}/?version=1.3.0`], {
        stdio: 'ignore',
        env: {
          ...env,
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, '.config'),
          XDG_DATA_HOME: path.join(home, '.local', 'share'),
          XDG_CACHE_HOME: path.join(home, '.cache'),
          DISPLAY: display
        }
      })
      processes.push(client)
      for (let waited = 0; !new RegExp(`<\\d+:${name}\\(-1\\)> Authenticated`).test(log); waited += 200) {
        if (waited > 20_000) throw new Error(`Mumble's client ${name} did not connect to murmurd within 20 s`)
        await sleep(200)
      }
      return { pid: client.pid! }
    },
    async stop() {
      for (const child of processes.reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue
        const gone = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await Promise.race([gone, sleep(3000)])
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }
    }
  }
}
