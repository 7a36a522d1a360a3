import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage } from '../../src/shared/websocket-envelope'

describe('WebSocket framing', () => {
  it('carries Int16Arrays across JSON intact', () => {
    const samples = Int16Array.from({ length: 960 }, (_, i) => ((i * 977) % 65536) - 32768)
    const text = encodeMessage({
      type: 'invoke',
      id: 3,
      channel: 'settings:update',
      payload: { sampleRate: 48000, samples }
    })
    const back = decodeMessage(text) as { payload: { samples: Int16Array } }
    expect(back.payload.samples).toBeInstanceOf(Int16Array)
    expect(Array.from(back.payload.samples)).toEqual(Array.from(samples))
  })

  it.each([{ $int16: 'not base64!' }, { $int16: 'AA==' }, { $int16: 5 }, { $int16: 'AAAA', extra: 1 }])(
    'leaves a malformed tag %j as a plain object, for the schema to refuse',
    (tag) => {
      const back = decodeMessage(JSON.stringify({ samples: tag })) as { samples: unknown }
      expect(back.samples).not.toBeInstanceOf(Int16Array)
    }
  )
})
