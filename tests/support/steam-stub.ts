import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from './temp-dir'

const SOURCE = path.join(REPO_ROOT, 'tests/main/engine/native/stub/stub_steam_api.c')

/** Compiles the stub libsteam_api (C, scripted through STUB_* environment variables) into `dir`. */
export function buildSteamStub(dir: string, variant = 'stub', ...defines: string[]): string {
  const out = path.join(dir, `${variant}.so`)
  execFileSync('cc', [
    '-shared',
    '-fPIC',
    '-fvisibility=hidden',
    '-O1',
    ...defines.map((d) => `-D${d}`),
    '-o',
    out,
    SOURCE
  ])
  return out
}
