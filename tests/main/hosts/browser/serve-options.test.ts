import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../../src/main/hosts/cli/command-line'
import { defaultDataDir, parseServeOptions } from '../../../../src/main/hosts/browser/serve-options'

describe('parseServeOptions', () => {
  it('reads --http and --data-dir', () => {
    expect(parseServeOptions(['--http', '127.0.0.1:5190', '--data-dir', 'some/dir'], {})).toEqual({
      host: '127.0.0.1',
      port: 5190,
      dataDir: path.resolve('some/dir'),
      join: [],
      globalKeys: true,
      appMicrophone: true
    })
    expect(parseServeOptions(['--http=[::1]:0'], { XDG_CONFIG_HOME: '/cfg' })).toEqual({
      host: '::1',
      port: 0,
      dataDir: '/cfg/parley',
      join: [],
      globalKeys: true,
      appMicrophone: true
    })
  })

  it('takes the headless peer’s room options: --name, --listen, --join (repeated)', () => {
    expect(
      parseServeOptions(
        [
          '--name',
          'Ada',
          '--listen',
          '127.0.0.1:47810',
          '--join',
          '127.0.0.1:47811',
          '--join',
          '[::1]:47812',
          '--global-keys',
          'off',
          '--microphone',
          'page'
        ],
        {}
      )
    ).toMatchObject({
      name: 'Ada',
      listen: { host: '127.0.0.1', port: 47810 },
      join: ['127.0.0.1:47811', '[::1]:47812'],
      globalKeys: false,
      appMicrophone: false
    })
  })

  it.each([
    [['--http', '127.0.0.1']],
    [['--http', '127.0.0.1:99999']],
    [['--http', 'http://127.0.0.1:80']],
    [['--port', '80']],
    [['stray']],
    [['--join', '127.0.0.1:0']],
    [['--listen', 'nowhere']],
    [['--name', '']],
    [['--global-keys', 'maybe']],
    [['--microphone', 'steam']]
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseServeOptions(argv, {})).toThrow(UsageError)
  })

  it('defaults the data directory to the XDG config directory', () => {
    expect(defaultDataDir({}, '/home/ada')).toBe('/home/ada/.config/parley')
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/ada')).toBe('/x/cfg/parley')
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, '/home/ada')).toBe('/home/ada/.config/parley')
  })
})
