/** Steam's EBeginAuthSessionResult: BeginAuthSession's synchronous answer. */
export const EBeginAuthSessionResult = {
  OK: 0,
  InvalidTicket: 1,
  DuplicateRequest: 2,
  InvalidVersion: 3,
  GameMismatch: 4,
  ExpiredTicket: 5
} as const
export type EBeginAuthSessionResult = (typeof EBeginAuthSessionResult)[keyof typeof EBeginAuthSessionResult]

/** Steam's EAuthSessionResponse: what ValidateAuthTicketResponse reports about a session. */
export const EAuthSessionResponse = {
  OK: 0,
  UserNotConnectedToSteam: 1,
  NoLicenseOrExpired: 2,
  VACBanned: 3,
  LoggedInElseWhere: 4,
  VACCheckTimedOut: 5,
  AuthTicketCanceled: 6,
  AuthTicketInvalidAlreadyUsed: 7,
  AuthTicketInvalid: 8,
  PublisherIssuedBan: 9,
  AuthTicketNetworkIdentityFailure: 10
} as const
export type EAuthSessionResponse = (typeof EAuthSessionResponse)[keyof typeof EAuthSessionResponse]

export function codeName(codes: Record<string, number>, code: number): string {
  return Object.entries(codes).find(([, value]) => value === code)?.[0] ?? `Unknown(${code})`
}

/** Why a ticket was refused at once (BeginAuthSession, or the LAN's check), in a player's words. */
export const BEGIN_AUTH_WORDS: Record<EBeginAuthSessionResult, string> = {
  [EBeginAuthSessionResult.OK]: 'verified',
  [EBeginAuthSessionResult.InvalidTicket]: 'could not prove who they are (invalid ticket)',
  [EBeginAuthSessionResult.DuplicateRequest]: 'their ticket was already being checked',
  [EBeginAuthSessionResult.InvalidVersion]: 'their Parley or Steam is a version ours cannot check',
  [EBeginAuthSessionResult.GameMismatch]: 'their ticket is for another app',
  [EBeginAuthSessionResult.ExpiredTicket]: 'their ticket has expired'
}

/** Steam's verdict on a session (ValidateAuthTicketResponse), in a player's words. */
export const AUTH_RESPONSE_WORDS: Record<EAuthSessionResponse, string> = {
  [EAuthSessionResponse.OK]: 'verified',
  [EAuthSessionResponse.UserNotConnectedToSteam]: 'they are not connected to Steam',
  [EAuthSessionResponse.NoLicenseOrExpired]: 'they do not own this app on Steam',
  [EAuthSessionResponse.VACBanned]: 'they are VAC banned',
  [EAuthSessionResponse.LoggedInElseWhere]: 'their Steam account signed in somewhere else',
  [EAuthSessionResponse.VACCheckTimedOut]: 'Steam could not finish checking them (VAC timed out)',
  [EAuthSessionResponse.AuthTicketCanceled]: 'they left, or their Steam ticket was cancelled',
  [EAuthSessionResponse.AuthTicketInvalidAlreadyUsed]: 'their Steam ticket was already used',
  [EAuthSessionResponse.AuthTicketInvalid]: 'their Steam ticket is not valid',
  [EAuthSessionResponse.PublisherIssuedBan]: 'they are banned from this app',
  [EAuthSessionResponse.AuthTicketNetworkIdentityFailure]: 'their Steam ticket was made for someone else'
}

/** A code's words, or what to say of one Steam added after these tables. */
export function authWords(words: Record<number, string>, code: number): string {
  return words[code] ?? `Steam refused them (code ${code})`
}
