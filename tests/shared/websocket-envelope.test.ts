import { describe, expect, it } from 'vitest'
import { ClientMessageSchema, decodeMessage, encodeMessage } from '../../src/shared/websocket-envelope'

describe('WebSocket framing', () => {
  it('round-trips a call, and the schema refuses what is not one', () => {
    const text = encodeMessage({ type: 'invoke', id: 3, channel: 'room:join', payload: { code: '10.0.0.2:47810' } })
    expect(ClientMessageSchema.parse(decodeMessage(text))).toEqual({
      type: 'invoke',
      id: 3,
      channel: 'room:join',
      payload: { code: '10.0.0.2:47810' }
    })
    expect(ClientMessageSchema.safeParse(decodeMessage('{"type":"invoke","id":-1,"channel":"x"}')).success).toBe(false)
    expect(
      ClientMessageSchema.safeParse(decodeMessage('{"type":"invoke","id":1,"channel":"x","extra":1}')).success
    ).toBe(false)
    expect(() => decodeMessage('{not json')).toThrow()
  })
})
