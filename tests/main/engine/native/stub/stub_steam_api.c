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

/* ---- Manual callback dispatch and lobbies ----
 * Callbacks are scripted through the file $STUB_EVENTS: one per line, read (and emptied) on each
 * RunFrame: "101", "103 eresult", "143 steamid response owner", "333 lobby friend",
 * "506 lobby user flags", "1202 remote", "1203 remote error". CreateLobby and JoinLobby complete
 * on the next RunFrame with SteamAPICallCompleted (703) and their result (STUB_LOBBY_RESULT,
 * default 1 = OK; STUB_ENTER_RESPONSE, default 1 = success). STUB_LOBBY_MEMBERS lists members. */
#ifdef _WIN32
#pragma pack(push, 8)
#else
#pragma pack(push, 4)
#endif
struct callback_msg { int32_t user; int32_t callback; uint8_t *param; int32_t size; };
struct validate_response { uint64_t steam_id; int32_t response; uint64_t owner; };
struct servers_disconnected { int32_t result; };
struct join_requested { uint64_t lobby; uint64_t friend_id; };
struct lobby_enter { uint64_t lobby; uint32_t permissions; bool locked; uint32_t response; };
struct chat_update { uint64_t lobby; uint64_t user_changed; uint64_t making_change; uint32_t state_change; };
struct lobby_created { int32_t result; uint64_t lobby; };
struct call_completed { uint64_t call; int32_t callback; uint32_t size; };
struct session_request { uint64_t remote; };
struct session_fail { uint64_t remote; uint8_t error; };
#pragma pack(pop)

#define QUEUE 256
static struct { int32_t callback; uint8_t data[64]; int32_t size; } queue[QUEUE];
static int queue_head, queue_tail;
static uint8_t current[64];
static struct { uint64_t call; int32_t callback; uint8_t data[64]; int32_t size; } results[QUEUE];
static int result_count;
static uint64_t next_call = 1000, next_lobby = 109775240000000001ULL;
static int matchmaking_object;

static void post(int32_t callback, const void *data, int32_t size) {
  if ((queue_tail + 1) % QUEUE == queue_head) return;
  queue[queue_tail].callback = callback;
  memcpy(queue[queue_tail].data, data, (size_t)size);
  queue[queue_tail].size = size;
  queue_tail = (queue_tail + 1) % QUEUE;
}

static uint64_t complete(int32_t callback, const void *data, int32_t size) {
  uint64_t call = next_call++;
  results[result_count % QUEUE].call = call;
  results[result_count % QUEUE].callback = callback;
  memcpy(results[result_count % QUEUE].data, data, (size_t)size);
  results[result_count % QUEUE].size = size;
  result_count++;
  struct call_completed done = { call, callback, (uint32_t)size };
  post(703, &done, sizeof done);
  return call;
}

EXPORT int32_t SteamAPI_GetHSteamPipe(void) { return env_int("STUB_NOT_INITIALISED", 0) ? 0 : 1; }

EXPORT void SteamAPI_ManualDispatch_RunFrame(int32_t pipe) {
  (void)pipe;
  const char *path = getenv("STUB_EVENTS");
  if (!path) return;
  FILE *file = fopen(path, "r");
  if (!file) return;
  char line[256];
  while (fgets(line, sizeof line, file)) {
    unsigned long long a = 0, b = 0, c = 0;
    int callback = 0;
    int fields = sscanf(line, "%d %llu %llu %llu", &callback, &a, &b, &c);
    if (fields < 1) continue;
    if (callback == 101) { uint8_t none = 0; post(101, &none, 1); }
    else if (callback == 103) { struct servers_disconnected d = { (int32_t)a }; post(103, &d, sizeof d); }
    else if (callback == 143) { struct validate_response d = { a, (int32_t)b, c }; post(143, &d, sizeof d); }
    else if (callback == 333) { struct join_requested d = { a, b }; post(333, &d, sizeof d); }
    else if (callback == 506) { struct chat_update d = { a, b, b, (uint32_t)c }; post(506, &d, sizeof d); }
    else if (callback == 1202) { struct session_request d = { a }; post(1202, &d, sizeof d); }
    else if (callback == 1203) { struct session_fail d = { a, (uint8_t)b }; post(1203, &d, sizeof d); }
    else { uint8_t junk[8] = { 0 }; post(callback, junk, sizeof junk); } /* one Parley does not want */
  }
  fclose(file);
  file = fopen(path, "w");
  if (file) fclose(file);
}

EXPORT bool SteamAPI_ManualDispatch_GetNextCallback(int32_t pipe, struct callback_msg *msg) {
  (void)pipe;
  if (queue_head == queue_tail) return false;
  memcpy(current, queue[queue_head].data, (size_t)queue[queue_head].size);
  msg->user = 1;
  msg->callback = queue[queue_head].callback;
  msg->param = current;
  msg->size = queue[queue_head].size;
  queue_head = (queue_head + 1) % QUEUE;
  return true;
}

EXPORT void SteamAPI_ManualDispatch_FreeLastCallback(int32_t pipe) { (void)pipe; logf_("FreeLastCallback"); }

EXPORT bool SteamAPI_ManualDispatch_GetAPICallResult(int32_t pipe, uint64_t call, void *out, int size, int expected, bool *failed) {
  (void)pipe;
  for (int i = 0; i < result_count && i < QUEUE; i++) {
    if (results[i].call != call) continue;
    *failed = results[i].callback != expected || results[i].size != size;
    if (!*failed) memcpy(out, results[i].data, (size_t)size);
    return true;
  }
  *failed = true;
  return false;
}

EXPORT void *SteamAPI_SteamMatchmaking_v009(void) { return env_int("STUB_NOT_INITIALISED", 0) ? NULL : &matchmaking_object; }

EXPORT uint64_t SteamAPI_ISteamMatchmaking_CreateLobby(void *self, int type, int max) {
  (void)self;
  logf_("CreateLobby type=%d max=%d", type, max);
  struct lobby_created d = { env_int("STUB_LOBBY_RESULT", 1), next_lobby++ };
  return complete(513, &d, sizeof d);
}

EXPORT uint64_t SteamAPI_ISteamMatchmaking_JoinLobby(void *self, uint64_t lobby) {
  (void)self;
  logf_("JoinLobby lobby=%llu", (unsigned long long)lobby);
  struct lobby_enter d = { lobby, 0, false, (uint32_t)env_int("STUB_ENTER_RESPONSE", 1) };
  return complete(504, &d, sizeof d);
}

EXPORT void SteamAPI_ISteamMatchmaking_LeaveLobby(void *self, uint64_t lobby) {
  (void)self; logf_("LeaveLobby lobby=%llu", (unsigned long long)lobby);
}

static int lobby_members(uint64_t *out, int max) {
  const char *list = getenv("STUB_LOBBY_MEMBERS");
  int n = 0;
  while (list && *list && n < max) {
    char *end = NULL;
    out[n++] = strtoull(list, &end, 10);
    if (!end || *end != ',') break;
    list = end + 1;
  }
  return n;
}

EXPORT int SteamAPI_ISteamMatchmaking_GetNumLobbyMembers(void *self, uint64_t lobby) {
  (void)self; (void)lobby; uint64_t ids[64]; return lobby_members(ids, 64);
}

EXPORT uint64_t SteamAPI_ISteamMatchmaking_GetLobbyMemberByIndex(void *self, uint64_t lobby, int index) {
  (void)self; (void)lobby; uint64_t ids[64]; int n = lobby_members(ids, 64); return index >= 0 && index < n ? ids[index] : 0;
}

EXPORT void SteamAPI_ISteamFriends_ActivateGameOverlayInviteDialog(void *self, uint64_t lobby) {
  (void)self; logf_("ActivateGameOverlayInviteDialog lobby=%llu", (unsigned long long)lobby);
}
