import { execFileSync } from 'node:child_process'
import { readWavFile } from '/work/main/src/main/engine/voice/audio/wav-file'
import { correlationInRecording } from '/work/main/tests/support/audio'
const heard = (await readWavFile('/tmp/dump/heard-24000.wav')).samples
execFileSync('sox', ['/tmp/dump/mic.wav', '-r', '24000', '/tmp/dump/ref-s.wav'])
const once = (await readWavFile('/tmp/dump/ref-s.wav')).samples
const twice = new Int16Array(once.length * 2); twice.set(once); twice.set(once, once.length)
const W = 6000
const out = []
for (let s = 0; s + W <= heard.length; s += W) {
  const part = heard.subarray(s, s + W)
  let e = 0; for (const x of part) e += x * x
  if (Math.sqrt(e / W) < 328) { out.push('  -  '); continue }
  const r = correlationInRecording(part, twice, 24000)
  out.push(`${r.correlation.toFixed(2)}@${(r.lag / 24000).toFixed(2)}`)
}
console.log(out.join(' '))
