/*
 * A stand-in for libsteam_api with the same exported flat-API symbols, for testing the addon
 * without Steam. Results are scripted through environment variables (read on every call, so a
 * test can change them between calls) and every call is appended to $STUB_LOG with its
 * arguments. Compiled by the test with cc; -DOMIT=<symbol> leaves a symbol out.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

static int env_int(const char *name, int fallback) {
  const char *value = getenv(name);
  return value ? atoi(value) : fallback;
}

static void logf_(const char *format, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void logf_(const char *format, ...) {
  const char *path = getenv("STUB_LOG");
  if (!path) return;
  FILE *file = fopen(path, "a");
  if (!file) return;
  va_list args;
  va_start(args, format);
  vfprintf(file, format, args);
  va_end(args);
  fputc('\n', file);
  fclose(file);
}

static int user_object, friends_object, utils_object;

EXPORT void *SteamAPI_SteamUser_v023(void) { return env_int("STUB_NOT_INITIALISED", 0) ? NULL : &user_object; }
#ifndef OMIT_FRIENDS_V018
EXPORT void *SteamAPI_SteamFriends_v018(void) { return &friends_object; }
#endif
EXPORT void *SteamAPI_SteamFriends_v017(void) { return &friends_object; }
EXPORT void *SteamAPI_SteamUtils_v010(void) { return &utils_object; }

EXPORT void SteamAPI_ISteamUser_StartVoiceRecording(void *self) { logf_("StartVoiceRecording %d", self == &user_object); }
EXPORT void SteamAPI_ISteamUser_StopVoiceRecording(void *self) { logf_("StopVoiceRecording %d", self == &user_object); }

/* Reports STUB_AVAILABLE_BYTES if set (Steam's estimate can be off), else STUB_VOICE_BYTES. */
EXPORT int SteamAPI_ISteamUser_GetAvailableVoice(void *self, uint32_t *compressed, uint32_t *deprecated, uint32_t rate) {
  (void)self;
  *compressed = (uint32_t)env_int("STUB_AVAILABLE_BYTES", env_int("STUB_VOICE_BYTES", 0));
  logf_("GetAvailableVoice deprecated=%s rate=%u", deprecated ? "set" : "null", rate);
  return env_int("STUB_VOICE_RESULT", 0);
}

/* Writes STUB_VOICE_BYTES bytes (i & 0xff); a buffer smaller than that is BufferTooSmall (4), with
   the size needed, or 0 with STUB_VOICE_NO_SIZE=1 (Steam does not always say). */
EXPORT int SteamAPI_ISteamUser_GetVoice(void *self, bool want_compressed, void *dest, uint32_t size, uint32_t *written,
                                        bool want_uncompressed, void *u, uint32_t usize, uint32_t *uwritten, uint32_t urate) {
  (void)self; (void)u; (void)usize; (void)uwritten; (void)urate;
  uint32_t bytes = (uint32_t)env_int("STUB_VOICE_BYTES", 0);
  logf_("GetVoice compressed=%d size=%u uncompressed=%d", want_compressed, size, want_uncompressed);
  int result = env_int("STUB_VOICE_RESULT", 0);
  if (result != 0) { *written = 0; return result; }
  if (size < bytes) { *written = env_int("STUB_VOICE_NO_SIZE", 0) ? 0 : bytes; return 4; }
  for (uint32_t i = 0; i < bytes; i++) ((uint8_t *)dest)[i] = (uint8_t)(i & 0xff);
  *written = bytes;
  return 0;
}

/* Output: each input byte becomes STUB_PCM_PER_BYTE 16-bit samples of value (byte * rate / 1000). */
#ifndef OMIT_DECOMPRESS
EXPORT int SteamAPI_ISteamUser_DecompressVoice(void *self, const void *src, uint32_t src_size, void *dest, uint32_t size,
                                               uint32_t *written, uint32_t rate) {
  (void)self;
  uint32_t per_byte = (uint32_t)env_int("STUB_PCM_PER_BYTE", 1);
  uint32_t needed = src_size * per_byte * 2;
  logf_("DecompressVoice src=%u size=%u rate=%u", src_size, size, rate);
  int result = env_int("STUB_DECOMPRESS_RESULT", 0);
  if (result != 0) { *written = 0; return result; }
  if (size < needed) { *written = needed; return 4; }
  int16_t *out = (int16_t *)dest;
  for (uint32_t i = 0; i < src_size; i++)
    for (uint32_t k = 0; k < per_byte; k++) out[i * per_byte + k] = (int16_t)(((const uint8_t *)src)[i] * (rate / 1000));
  *written = needed;
  return 0;
}
#endif

EXPORT uint32_t SteamAPI_ISteamUser_GetVoiceOptimalSampleRate(void *self) { (void)self; return 24000; }
/* Above 2^53, so a lossy conversion would show; STUB_STEAM_ID (decimal) names another user. */
EXPORT uint64_t SteamAPI_ISteamUser_GetSteamID(void *self) {
  (void)self;
  const char *id = getenv("STUB_STEAM_ID");
  return id ? strtoull(id, NULL, 10) : 76561198271731523ULL + 0x100000000000000ULL;
}
EXPORT bool SteamAPI_ISteamUser_BLoggedOn(void *self) { (void)self; return env_int("STUB_LOGGED_ON", 1) != 0; }
EXPORT bool SteamAPI_ISteamUser_BIsBehindNAT(void *self) { (void)self; return true; }
EXPORT int SteamAPI_ISteamUser_GetPlayerSteamLevel(void *self) { (void)self; return 42; }

struct identity { int32_t type; int32_t size; uint64_t steam_id; char rest[120]; };

EXPORT uint32_t SteamAPI_ISteamUser_GetAuthSessionTicket(void *self, void *ticket, int max, uint32_t *size, const struct identity *who) {
  (void)self;
  int bytes = env_int("STUB_TICKET_BYTES", 240);
  if (bytes > max) bytes = max;
  for (int i = 0; i < bytes; i++) ((uint8_t *)ticket)[i] = (uint8_t)(0xA0 + i);
  *size = (uint32_t)bytes;
  if (who) logf_("GetAuthSessionTicket max=%d identity type=%d size=%d steamid=%llu", max, who->type, who->size, (unsigned long long)who->steam_id);
  else logf_("GetAuthSessionTicket max=%d identity=null", max);
  return 0x7000001u;
}

/* The result is the ticket's first byte (so a test picks any EBeginAuthSessionResult). */
EXPORT int SteamAPI_ISteamUser_BeginAuthSession(void *self, const void *ticket, int size, uint64_t steam_id) {
  (void)self;
  logf_("BeginAuthSession size=%d first=%d steamid=%llu", size, size > 0 ? ((const uint8_t *)ticket)[0] : -1, (unsigned long long)steam_id);
  return size > 0 ? ((const uint8_t *)ticket)[0] : 1;
}
EXPORT void SteamAPI_ISteamUser_EndAuthSession(void *self, uint64_t steam_id) { (void)self; logf_("EndAuthSession steamid=%llu", (unsigned long long)steam_id); }
EXPORT void SteamAPI_ISteamUser_CancelAuthTicket(void *self, uint32_t ticket) { (void)self; logf_("CancelAuthTicket id=%u", ticket); }
EXPORT int SteamAPI_ISteamUser_UserHasLicenseForApp(void *self, uint64_t steam_id, uint32_t app) {
  (void)self; logf_("UserHasLicenseForApp steamid=%llu app=%u", (unsigned long long)steam_id, app);
  return (int)(app % 3);
}

EXPORT const char *SteamAPI_ISteamFriends_GetPersonaName(void *self) { (void)self; return "Stub Person \xc3\xa9"; }
EXPORT int SteamAPI_ISteamFriends_GetFriendCount(void *self, int flags) { (void)self; logf_("GetFriendCount flags=%d", flags); return 3; }
EXPORT uint64_t SteamAPI_ISteamFriends_GetFriendByIndex(void *self, int index, int flags) {
  (void)self; (void)flags; return 76561198000000000ULL + (uint64_t)index * 0x100000001ULL;
}
EXPORT int SteamAPI_ISteamFriends_GetFriendPersonaState(void *self, uint64_t id) { (void)self; return (int)(id % 8); }
EXPORT const char *SteamAPI_ISteamFriends_GetFriendPersonaName(void *self, uint64_t id) {
  (void)self; static char name[64]; snprintf(name, sizeof name, "Friend %llu", (unsigned long long)(id % 1000)); return name;
}
EXPORT void SteamAPI_ISteamFriends_SetInGameVoiceSpeaking(void *self, uint64_t id, bool speaking) {
  (void)self; logf_("SetInGameVoiceSpeaking steamid=%llu speaking=%d", (unsigned long long)id, speaking);
}
EXPORT int SteamAPI_ISteamFriends_GetSmallFriendAvatar(void *self, uint64_t id) { (void)self; return id == 76561198000000000ULL ? 5 : 0; }
EXPORT bool SteamAPI_ISteamUtils_GetImageSize(void *self, int image, uint32_t *w, uint32_t *h) {
  (void)self; if (image != 5) return false; *w = 32; *h = 32; return true;
}
EXPORT bool SteamAPI_ISteamUtils_GetImageRGBA(void *self, int image, uint8_t *dest, int size) {
  (void)self; if (image != 5 || size != 32 * 32 * 4) return false;
  for (int i = 0; i < size; i++) dest[i] = (uint8_t)(i % 4 == 3 ? 255 : i / 128);
  return true;
}
