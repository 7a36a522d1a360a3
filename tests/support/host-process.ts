import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from './temp-dir'

export interface HostProcess {
  url: string
  pid: number
  output(): string
  stop(): Promise<number | null>
  /** Ends it at once, without waiting (for an 'exit' handler, which cannot wait). */
  kill(): void
  /** Ends it as a crash would: SIGKILL, no goodbye; resolves when it is gone. */
  crash(): Promise<void>
  /** Freezes it (SIGSTOP), as a stalled machine or a dead Wi-Fi looks from outside; resume() thaws it. */
  pause(): void
  resume(): void
}

/**
 * Starts the built browser host (out/main/serve.js) as its own process on a free port. Its LAN
 * room listens on loopback, the global key hook is off (tests share one X display), and the page
 * records the microphone, unless `extraArgs` say otherwise.
 */
export async function startHostProcess(
  dataDir: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {}
): Promise<HostProcess> {
  const defaults = [
    ...(extraArgs.includes('--listen') ? [] : ['--listen', '127.0.0.1:0']),
    ...(extraArgs.includes('--global-keys') ? [] : ['--global-keys', 'off']),
    // The page's microphone (a test's fake one), not whatever the machine's default source is.
    ...(extraArgs.includes('--microphone') ? [] : ['--microphone', 'page'])
  ]
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'out/main/serve.js'),
      ...(extraArgs.includes('--http') ? [] : ['--http', '127.0.0.1:0']),
      '--data-dir',
      dataDir,
      ...defaults,
      ...extraArgs
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Parley is serving (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`browser host exited with ${code} before serving:\n${output}`)))
    setTimeout(() => reject(new Error(`browser host did not start within 15 s:\n${output}`)), 15_000).unref()
  })
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        // Already gone (stopped, or crashed by a signal): nothing to wait for.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
        child.once('exit', (code) => resolve(code))
        child.kill('SIGTERM')
      }),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    crash: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      })
  }
}
