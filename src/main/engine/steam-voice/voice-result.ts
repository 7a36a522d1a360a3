/** Steam's EVoiceResult codes (isteamuser.h), returned by every SteamVoice call. */
export const EVoiceResult = {
  OK: 0,
  NotInitialized: 1,
  NotRecording: 2,
  NoData: 3,
  BufferTooSmall: 4,
  DataCorrupted: 5,
  Restricted: 6,
  UnsupportedCodec: 7,
  ReceiverOutOfDate: 8,
  ReceiverDidNotAnswer: 9
} as const
export type EVoiceResult = (typeof EVoiceResult)[keyof typeof EVoiceResult]
