// `npm run dist`: installers for this system (docs/packaging.md). Builds, draws the icons, then
// runs electron-builder; an Electron that `npm start` already fetched is reused instead of a
// second download. What electron-builder fetches (Electron, AppImage and deb tools, NSIS) needs
// the internet: where it is unreachable this says so in one line at the end, without the stack.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { electronVersion, findElectronBinary } from './electron-binary'

const ROOT = path.resolve(import.meta.dirname, '..')
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name)

function step(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

step(bin('electron-vite'), ['build'])
step(process.execPath, [path.join(ROOT, 'scripts', 'make-icons.mjs')])

const electron = findElectronBinary()
const args = [...process.argv.slice(2)]
if (electron.path) {
  args.push(`-c.electronDist=${path.dirname(electron.path)}`, `-c.electronVersion=${electronVersion()}`)
}
const builder = spawn(bin('electron-builder'), args, { cwd: ROOT, stdio: ['inherit', 'pipe', 'pipe'] })
let offline = false
const relay = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
  const text = chunk.toString()
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(text)) offline = true
  // electron-builder's own lines stay; a network error's JavaScript stack is not for a reader.
  to.write(
    text
      .split('\n')
      .filter((line) => !/^\s+at /.test(line))
      .join('\n')
  )
}
builder.stdout.on('data', relay(process.stdout))
builder.stderr.on('data', relay(process.stderr))
builder.on('exit', (code) => {
  if (code === 0) console.log(`\nnpm run dist: installers are in ${path.join(ROOT, 'dist')}`)
  else if (offline)
    console.error(
      '\nnpm run dist: could not download what the installers are made with (Electron or a packaging tool): ' +
        'this needs the internet. `npm start` once online keeps Electron for later runs.'
    )
  else console.error(`\nnpm run dist: electron-builder failed (exit ${code}); its messages are above.`)
  process.exit(code ?? 1)
})
