import { describe, expect, it } from 'vitest'
import { loadSpeexResampler } from '../../../../src/main/engine/codec/speex-resampler'
import { warmUpVoiceCodecs } from '../../../../src/main/engine/codec/warm-up'

describe('warmUpVoiceCodecs', () => {
  it('runs every codec path once on throwaway instances and says how long it took', async () => {
    await loadSpeexResampler()
    expect(warmUpVoiceCodecs()).toBeGreaterThan(0)
    // Repeatable: it frees what it made (a leak would exhaust the wasm heap over many runs).
    for (let i = 0; i < 20; i++) warmUpVoiceCodecs()
  })
})
