import { describe, expect, it } from 'vitest'
import { microphoneMessage } from '../../../src/renderer/src/audio/microphone-message'

const domError = (name: string) => Object.assign(new Error('raw browser text'), { name })

describe('microphoneMessage', () => {
  it('says what happened and what to do, for each way the microphone fails', () => {
    expect(microphoneMessage(domError('NotAllowedError'))).toMatch(/may not use the microphone\. Allow it/)
    expect(microphoneMessage(domError('NotFoundError'))).toMatch(/No microphone found\. Plug one in/)
    expect(microphoneMessage(domError('NotReadableError'))).toMatch(/another program may be using it/)
    expect(microphoneMessage('ended')).toMatch(/stopped \(unplugged\?\)\. Parley uses it again/)
    // Never the browser's raw words for the known cases.
    for (const name of ['NotAllowedError', 'NotFoundError', 'NotReadableError']) {
      expect(microphoneMessage(domError(name))).not.toContain('raw browser text')
    }
  })
})
