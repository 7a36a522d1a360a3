import { chromium, type Browser } from '@playwright/test'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromiumExecutable, QUIET_CHROMIUM_ARGS } from './chromium'

export interface PulseAudio {
  /** For the processes that should use it (Chromium, paplay, parec). */
  env: NodeJS.ProcessEnv
  /** Runs pactl against it; returns its output (throws with pactl's words on failure). */
  pactl(...args: string[]): string
  stop(): Promise<void>
}

/** Whether Debian's PulseAudio is installed here (else the caller skips, saying so). */
export function hasPulseAudio(): boolean {
  return spawnSync('pulseaudio', ['--version']).status === 0
}

/**
 * A private PulseAudio in `dir` (its socket and runtime files live there), with no device but
 * what `modules` load (`module-null-sink sink_name=…`, …): the machine's own sound is untouched.
 */
export async function startPulseAudio(dir: string, modules: string[]): Promise<PulseAudio> {
  const runtime = path.join(dir, 'pulse')
  await mkdir(runtime, { recursive: true })
  const socket = path.join(runtime, 'native')
  const env = { ...process.env, PULSE_SERVER: `unix:${socket}`, PULSE_RUNTIME_PATH: runtime, XDG_RUNTIME_DIR: runtime }
  const daemon: ChildProcess = spawn(
    'pulseaudio',
    [
      '--daemonize=no',
      '--exit-idle-time=-1',
      '-n',
      `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      ...modules.map((module) => `--load=${module}`),
      '--load=module-always-sink'
    ],
    { env, stdio: 'ignore' }
  )
  for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  if (!existsSync(socket)) {
    daemon.kill('SIGKILL')
    throw new Error('PulseAudio did not start')
  }
  return {
    env,
    pactl(...args) {
      const result = spawnSync('pactl', args, { env, encoding: 'utf8' })
      if (result.status !== 0) throw new Error(`pactl ${args.join(' ')}: ${result.stderr.trim()}`)
      return result.stdout
    },
    async stop() {
      if (daemon.exitCode !== null) return
      const exited = new Promise((resolve) => daemon.once('exit', resolve))
      daemon.kill('SIGTERM')
      await exited
    }
  }
}

/**
 * The usual devices for a page: a speaker (a null sink, recorded through its monitor) and a
 * microphone fed by whatever is played into the sink `mic_bus`; both the defaults.
 */
export async function startAudioDevices(dir: string, rate = 48000, extraModules: string[] = []): Promise<PulseAudio> {
  const pulse = await startPulseAudio(dir, [
    `module-null-sink sink_name=speaker rate=${rate} channels=1`,
    'module-null-sink sink_name=mic_bus',
    'module-remap-source source_name=mic master=mic_bus.monitor',
    ...extraModules
  ])
  pulse.pactl('set-default-sink', 'speaker')
  pulse.pactl('set-default-source', 'mic')
  return pulse
}

/** Chromium playing to and capturing from `pulse`'s devices (not muted; no gesture needed for sound). */
export function launchChromiumOn(pulse: PulseAudio): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: [...QUIET_CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
    ignoreDefaultArgs: ['--mute-audio'],
    env: pulse.env
  })
}
