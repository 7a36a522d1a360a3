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
