// Parley's Node-API addon: the parts of the Steamworks flat C API that steamworks.js lacks
// (voice, identity, auth sessions, friends), bound to the libsteam_api already in the process.
// Node-API only, so one build loads in Node and in Electron.
#include <napi.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace {

// ---- Loading libsteam_api and resolving symbols ------------------------------------------

#ifdef _WIN32
using LibHandle = HMODULE;
LibHandle OpenLibrary(const std::string& path) { return LoadLibraryA(path.c_str()); }
// GetModuleHandle attaches to an already-loaded module without loading another copy.
LibHandle AttachLibrary() { return GetModuleHandleA("steam_api64.dll"); }
void* Symbol(LibHandle lib, const char* name) { return reinterpret_cast<void*>(GetProcAddress(lib, name)); }
const char* kDefaultLibrary = "steam_api64.dll";
#else
using LibHandle = void*;
LibHandle OpenLibrary(const std::string& path) { return dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL); }
#ifdef __APPLE__
const char* kDefaultLibrary = "libsteam_api.dylib";
#else
const char* kDefaultLibrary = "libsteam_api.so";
#endif
// RTLD_NOLOAD: only the copy steamworks.js already loaded; never a second, uninitialised one.
LibHandle AttachLibrary() { return dlopen(kDefaultLibrary, RTLD_NOW | RTLD_NOLOAD); }
void* Symbol(LibHandle lib, const char* name) { return dlsym(lib, name); }
#endif

using Accessor = void* (*)();
using VoidFn = void (*)(void*);
using GetAvailableVoiceFn = int (*)(void*, uint32_t*, uint32_t*, uint32_t);
using GetVoiceFn = int (*)(void*, bool, void*, uint32_t, uint32_t*, bool, void*, uint32_t, uint32_t*, uint32_t);
using DecompressVoiceFn = int (*)(void*, const void*, uint32_t, void*, uint32_t, uint32_t*, uint32_t);
using U32Fn = uint32_t (*)(void*);
using U64Fn = uint64_t (*)(void*);
using BoolFn = bool (*)(void*);
using IntFn = int (*)(void*);
using GetAuthSessionTicketFn = uint32_t (*)(void*, void*, int, uint32_t*, const void*);
using BeginAuthSessionFn = int (*)(void*, const void*, int, uint64_t);
using SteamIdFn = void (*)(void*, uint64_t);
using CancelAuthTicketFn = void (*)(void*, uint32_t);
using UserHasLicenseFn = int (*)(void*, uint64_t, uint32_t);
using PersonaNameFn = const char* (*)(void*);
using FriendCountFn = int (*)(void*, int);
using FriendByIndexFn = uint64_t (*)(void*, int, int);
using FriendStateFn = int (*)(void*, uint64_t);
using FriendNameFn = const char* (*)(void*, uint64_t);
using SetSpeakingFn = void (*)(void*, uint64_t, bool);
using AvatarFn = int (*)(void*, uint64_t);
using ImageSizeFn = bool (*)(void*, int, uint32_t*, uint32_t*);
using ImageRgbaFn = bool (*)(void*, int, uint8_t*, int);
using PipeFn = int32_t (*)();
using PipeVoidFn = void (*)(int32_t);
using NextCallbackFn = bool (*)(int32_t, void*);
using CallResultFn = bool (*)(int32_t, uint64_t, void*, int, int, bool*);
using CreateLobbyFn = uint64_t (*)(void*, int, int);
using JoinLobbyFn = uint64_t (*)(void*, uint64_t);
using LeaveLobbyFn = void (*)(void*, uint64_t);
using LobbyCountFn = int (*)(void*, uint64_t);
using LobbyMemberFn = uint64_t (*)(void*, uint64_t, int);
using InviteDialogFn = void (*)(void*, uint64_t);

// Steam's callback structs, as the SDK packs them: 4 on Linux and macOS, 8 on Windows.
#ifdef _WIN32
#pragma pack(push, 8)
#else
#pragma pack(push, 4)
#endif
struct CallbackMsg {
  int32_t user;
  int32_t callback;
  uint8_t* param;
  int32_t size;
};
struct ValidateAuthTicketResponse {  // 143
  uint64_t steamId;
  int32_t response;
  uint64_t owner;
};
struct SteamServersDisconnected {  // 103
  int32_t result;
};
struct GameLobbyJoinRequested {  // 333
  uint64_t lobby;
  uint64_t friendId;
};
struct LobbyEnter {  // 504
  uint64_t lobby;
  uint32_t permissions;
  bool locked;
  uint32_t response;
};
struct LobbyChatUpdate {  // 506
  uint64_t lobby;
  uint64_t userChanged;
  uint64_t makingChange;
  uint32_t stateChange;
};
struct LobbyCreated {  // 513
  int32_t result;
  uint64_t lobby;
};
struct SteamAPICallCompleted {  // 703
  uint64_t call;
  int32_t callback;
  uint32_t size;
};
struct P2PSessionRequest {  // 1202
  uint64_t remote;
};
struct P2PSessionConnectFail {  // 1203
  uint64_t remote;
  uint8_t error;
};
#pragma pack(pop)

struct Steam {
  LibHandle lib = nullptr;
  std::string path;
  std::string userVersion, friendsVersion, utilsVersion;
  Accessor user = nullptr, friends = nullptr, utils = nullptr;
  VoidFn startVoiceRecording = nullptr, stopVoiceRecording = nullptr;
  GetAvailableVoiceFn getAvailableVoice = nullptr;
  GetVoiceFn getVoice = nullptr;
  DecompressVoiceFn decompressVoice = nullptr;
  U32Fn getVoiceOptimalSampleRate = nullptr;
  U64Fn getSteamID = nullptr;
  BoolFn loggedOn = nullptr, isBehindNAT = nullptr;
  IntFn getPlayerSteamLevel = nullptr;
  GetAuthSessionTicketFn getAuthSessionTicket = nullptr;
  BeginAuthSessionFn beginAuthSession = nullptr;
  SteamIdFn endAuthSession = nullptr;
  CancelAuthTicketFn cancelAuthTicket = nullptr;
  UserHasLicenseFn userHasLicenseForApp = nullptr;
  PersonaNameFn getPersonaName = nullptr;
  FriendCountFn getFriendCount = nullptr;
  FriendByIndexFn getFriendByIndex = nullptr;
  FriendStateFn getFriendPersonaState = nullptr;
  FriendNameFn getFriendPersonaName = nullptr;
  SetSpeakingFn setInGameVoiceSpeaking = nullptr;
  AvatarFn getSmallFriendAvatar = nullptr;
  ImageSizeFn getImageSize = nullptr;
  ImageRgbaFn getImageRGBA = nullptr;
  // Callback dispatch and lobbies: Parley runs Steam's manual dispatch itself (docs/steam.md).
  std::string matchmakingVersion;
  Accessor matchmaking = nullptr;
  PipeFn getPipe = nullptr;
  PipeVoidFn runFrame = nullptr, freeLastCallback = nullptr;
  NextCallbackFn getNextCallback = nullptr;
  CallResultFn getCallResult = nullptr;
  CreateLobbyFn createLobby = nullptr;
  JoinLobbyFn joinLobby = nullptr;
  LeaveLobbyFn leaveLobby = nullptr;
  LobbyCountFn getNumLobbyMembers = nullptr;
  LobbyMemberFn getLobbyMemberByIndex = nullptr;
  InviteDialogFn inviteDialog = nullptr;
};

// Everything the addon keeps lives per instance (one per thread that loads it: the main thread,
// a worker), never in process-wide statics: a reference made in one thread's environment and
// used in another's aborts the process.
struct Instance {
  Steam steam;
  // Buffers the JS side owns and we fill; kept across calls (Electron forbids external buffers).
  Napi::Reference<Napi::Uint8Array> voiceBuffer;
  Napi::Reference<Napi::Uint8Array> pcmBuffer;
  Napi::ObjectReference availableResult, voiceResult, pcmResult;
};

Instance& Of(Napi::Env env) { return *env.GetInstanceData<Instance>(); }

constexpr uint32_t kInitialVoiceBytes = 8 * 1024;   // Valve's recommendation for GetVoice
constexpr uint32_t kInitialPcmBytes = 20 * 1024;    // and for DecompressVoice
constexpr uint32_t kMaxBufferBytes = 4 * 1024 * 1024;
// GetVoice's buffer grows to this at most (8x Valve's recommendation); a packet bigger than that is
// left unread and reported as BufferTooSmall (the pump counts it, and its tail still ends).
constexpr uint32_t kMaxVoiceBytes = 64 * 1024;
constexpr int kVoiceResultBufferTooSmall = 4;
constexpr int kFriendFlagImmediate = 0x04;
constexpr int kMaxTicketBytes = 1024;

template <typename T>
bool Resolve(Napi::Env env, LibHandle lib, const char* name, T& out) {
  out = reinterpret_cast<T>(Symbol(lib, name));
  if (!out) {
    Napi::Error::New(env, std::string("libsteam_api has no ") + name + " (an older or newer Steamworks SDK?)")
        .ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

template <typename T>
bool ResolveFirst(Napi::Env env, LibHandle lib, std::initializer_list<const char*> names, T& out, std::string& which) {
  std::string tried;
  for (const char* name : names) {
    out = reinterpret_cast<T>(Symbol(lib, name));
    if (out) {
      which = name;
      return true;
    }
    tried += (tried.empty() ? "" : " or ") + std::string(name);
  }
  Napi::Error::New(env, "libsteam_api has none of " + tried).ThrowAsJavaScriptException();
  return false;
}

Napi::Value Load(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsString()) {
    Napi::TypeError::New(env, "load(path?): path must be a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path;
  LibHandle lib = nullptr;
  if (info.Length() > 0 && info[0].IsString()) {
    path = info[0].As<Napi::String>().Utf8Value();
    lib = OpenLibrary(path);
  } else {
    path = std::string("(already loaded) ") + kDefaultLibrary;
    lib = AttachLibrary();
  }
  if (!lib) {
    Napi::Error::New(env, info.Length() > 0 && info[0].IsString()
                              ? "cannot open " + path
                              : std::string(kDefaultLibrary) + " is not loaded in this process (steamworks.js loads it when it initialises)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Steam s;
  s.lib = lib;
  s.path = path;
  bool ok = ResolveFirst(env, lib, {"SteamAPI_SteamUser_v023"}, s.user, s.userVersion) &&
            ResolveFirst(env, lib, {"SteamAPI_SteamFriends_v018", "SteamAPI_SteamFriends_v017"}, s.friends, s.friendsVersion) &&
            ResolveFirst(env, lib, {"SteamAPI_SteamUtils_v011", "SteamAPI_SteamUtils_v010"}, s.utils, s.utilsVersion) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_StartVoiceRecording", s.startVoiceRecording) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_StopVoiceRecording", s.stopVoiceRecording) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_GetAvailableVoice", s.getAvailableVoice) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_GetVoice", s.getVoice) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_DecompressVoice", s.decompressVoice) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_GetVoiceOptimalSampleRate", s.getVoiceOptimalSampleRate) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_GetSteamID", s.getSteamID) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_BLoggedOn", s.loggedOn) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_BIsBehindNAT", s.isBehindNAT) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_GetPlayerSteamLevel", s.getPlayerSteamLevel) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_GetAuthSessionTicket", s.getAuthSessionTicket) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_BeginAuthSession", s.beginAuthSession) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_EndAuthSession", s.endAuthSession) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_CancelAuthTicket", s.cancelAuthTicket) &&
            Resolve(env, lib, "SteamAPI_ISteamUser_UserHasLicenseForApp", s.userHasLicenseForApp) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_GetPersonaName", s.getPersonaName) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_GetFriendCount", s.getFriendCount) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_GetFriendByIndex", s.getFriendByIndex) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_GetFriendPersonaState", s.getFriendPersonaState) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_GetFriendPersonaName", s.getFriendPersonaName) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_SetInGameVoiceSpeaking", s.setInGameVoiceSpeaking) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_GetSmallFriendAvatar", s.getSmallFriendAvatar) &&
            Resolve(env, lib, "SteamAPI_ISteamUtils_GetImageSize", s.getImageSize) &&
            Resolve(env, lib, "SteamAPI_ISteamUtils_GetImageRGBA", s.getImageRGBA) &&
            ResolveFirst(env, lib, {"SteamAPI_SteamMatchmaking_v009"}, s.matchmaking, s.matchmakingVersion) &&
            Resolve(env, lib, "SteamAPI_GetHSteamPipe", s.getPipe) &&
            Resolve(env, lib, "SteamAPI_ManualDispatch_RunFrame", s.runFrame) &&
            Resolve(env, lib, "SteamAPI_ManualDispatch_GetNextCallback", s.getNextCallback) &&
            Resolve(env, lib, "SteamAPI_ManualDispatch_FreeLastCallback", s.freeLastCallback) &&
            Resolve(env, lib, "SteamAPI_ManualDispatch_GetAPICallResult", s.getCallResult) &&
            Resolve(env, lib, "SteamAPI_ISteamMatchmaking_CreateLobby", s.createLobby) &&
            Resolve(env, lib, "SteamAPI_ISteamMatchmaking_JoinLobby", s.joinLobby) &&
            Resolve(env, lib, "SteamAPI_ISteamMatchmaking_LeaveLobby", s.leaveLobby) &&
            Resolve(env, lib, "SteamAPI_ISteamMatchmaking_GetNumLobbyMembers", s.getNumLobbyMembers) &&
            Resolve(env, lib, "SteamAPI_ISteamMatchmaking_GetLobbyMemberByIndex", s.getLobbyMemberByIndex) &&
            Resolve(env, lib, "SteamAPI_ISteamFriends_ActivateGameOverlayInviteDialog", s.inviteDialog);
  if (!ok) return env.Undefined();
  Of(env).steam = s;
  Napi::Object result = Napi::Object::New(env);
  result.Set("path", path);
  result.Set("user", s.userVersion);
  result.Set("friends", s.friendsVersion);
  result.Set("utils", s.utilsVersion);
  return result;
}

// ---- Helpers ---------------------------------------------------------------------------

void* Interface(Napi::Env env, Accessor accessor, const char* name) {
  if (!Of(env).steam.lib) {
    Napi::Error::New(env, "Steam API not loaded (call load() first)").ThrowAsJavaScriptException();
    return nullptr;
  }
  void* iface = accessor();
  if (!iface) {
    Napi::Error::New(env, std::string(name) + " returned null: Steam is not initialised").ThrowAsJavaScriptException();
  }
  return iface;
}

#define USER_OR_RETURN(env)                                                          \
  Instance& self = Of(env);                                                          \
  void* user = Interface(env, self.steam.user, self.steam.userVersion.c_str());     \
  if (!user) return env.Undefined();
#define FRIENDS_OR_RETURN(env)                                                       \
  Instance& self = Of(env);                                                          \
  void* friends = Interface(env, self.steam.friends, self.steam.friendsVersion.c_str()); \
  if (!friends) return env.Undefined();

bool SteamIdArg(const Napi::CallbackInfo& info, size_t index, const char* signature, uint64_t& out) {
  if (info.Length() <= index || !info[index].IsBigInt()) {
    Napi::TypeError::New(info.Env(), std::string(signature) + ": the SteamID must be a bigint").ThrowAsJavaScriptException();
    return false;
  }
  bool lossless = false;
  out = info[index].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) {
    Napi::TypeError::New(info.Env(), std::string(signature) + ": the SteamID must fit in 64 unsigned bits").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

bool UintArg(const Napi::CallbackInfo& info, size_t index, const char* signature, const char* what, uint32_t& out) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    Napi::TypeError::New(info.Env(), std::string(signature) + ": " + what + " must be a number").ThrowAsJavaScriptException();
    return false;
  }
  double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 0 && value <= 4294967295.0) || value != static_cast<double>(static_cast<uint32_t>(value))) {
    Napi::TypeError::New(info.Env(), std::string(signature) + ": " + what + " must be a whole number from 0 to 4294967295").ThrowAsJavaScriptException();
    return false;
  }
  out = static_cast<uint32_t>(value);
  return true;
}

bool BytesArg(const Napi::CallbackInfo& info, size_t index, const char* signature, const char* what, Napi::Uint8Array& out) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(info.Env(), std::string(signature) + ": " + what + " must be a Uint8Array or Buffer").ThrowAsJavaScriptException();
    return false;
  }
  out = info[index].As<Napi::Uint8Array>();
  return true;
}

Napi::Uint8Array Buffer(Napi::Env env, Napi::Reference<Napi::Uint8Array>& ref, uint32_t atLeast, uint32_t initial) {
  if (ref.IsEmpty() || ref.Value().ByteLength() < atLeast) {
    uint32_t size = ref.IsEmpty() ? initial : static_cast<uint32_t>(ref.Value().ByteLength());
    while (size < atLeast) size *= 2;
    Napi::ArrayBuffer storage = Napi::ArrayBuffer::New(env, size);
    ref = Napi::Persistent(Napi::Uint8Array::New(env, size, storage, 0));
  }
  return ref.Value();
}

Napi::Object Result(Napi::Env env, Napi::ObjectReference& ref) {
  if (ref.IsEmpty()) ref = Napi::Persistent(Napi::Object::New(env));
  return ref.Value();
}

// ---- Voice -------------------------------------------------------------------------------

Napi::Value StartVoiceRecording(const Napi::CallbackInfo& info) {
  USER_OR_RETURN(info.Env());
  self.steam.startVoiceRecording(user);
  return info.Env().Undefined();
}

Napi::Value StopVoiceRecording(const Napi::CallbackInfo& info) {
  USER_OR_RETURN(info.Env());
  self.steam.stopVoiceRecording(user);
  return info.Env().Undefined();
}

Napi::Value GetAvailableVoice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  USER_OR_RETURN(env);
  uint32_t compressed = 0;
  int result = self.steam.getAvailableVoice(user, &compressed, nullptr, 0);
  Napi::Object out = Result(env, self.availableResult);
  out.Set("result", result);
  out.Set("buffer", compressed);
  return out;
}

// The result and its buffer are reused: read them before the next call. The buffer is sized from
// GetAvailableVoice first (as GodotSteam does), then grown on BufferTooSmall: to the size Steam
// reports, or doubled when it reports none, up to kMaxVoiceBytes.
Napi::Value GetVoice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  USER_OR_RETURN(env);
  uint32_t available = 0;
  self.steam.getAvailableVoice(user, &available, nullptr, 0);
  if (available > kMaxVoiceBytes) available = kMaxVoiceBytes;
  Napi::Uint8Array buffer = Buffer(env, self.voiceBuffer, available, kInitialVoiceBytes);
  uint32_t written = 0;
  int result = kVoiceResultBufferTooSmall;
  for (;;) {
    written = 0;
    result = self.steam.getVoice(user, true, buffer.Data(), static_cast<uint32_t>(buffer.ByteLength()), &written, false,
                                 nullptr, 0, nullptr, 0);
    if (result != kVoiceResultBufferTooSmall) break;
    uint32_t size = static_cast<uint32_t>(buffer.ByteLength());
    uint32_t next = written > size ? written : size * 2;
    if (size >= kMaxVoiceBytes || next > kMaxVoiceBytes) {
      written = 0;
      break;
    }
    buffer = Buffer(env, self.voiceBuffer, next, kInitialVoiceBytes);
  }
  if (written > buffer.ByteLength()) written = 0;  // Steam claimed more than it could have written
  Napi::Object out = Result(env, self.voiceResult);
  out.Set("result", result);
  out.Set("written", written);
  out.Set("buffer", buffer);
  return out;
}

Napi::Value DecompressVoice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* signature = "decompressVoice(voice, sampleRate)";
  Napi::Uint8Array voice;
  uint32_t rate = 0;
  if (!BytesArg(info, 0, signature, "voice", voice) || !UintArg(info, 1, signature, "sampleRate", rate)) return env.Undefined();
  USER_OR_RETURN(env);
  Napi::Uint8Array pcm = Buffer(env, self.pcmBuffer, kInitialPcmBytes, kInitialPcmBytes);
  uint32_t written = 0;
  int result = self.steam.decompressVoice(user, voice.Data(), static_cast<uint32_t>(voice.ByteLength()), pcm.Data(),
                                       static_cast<uint32_t>(pcm.ByteLength()), &written, rate);
  if (result == kVoiceResultBufferTooSmall && written > pcm.ByteLength() && written <= kMaxBufferBytes) {
    pcm = Buffer(env, self.pcmBuffer, written, kInitialPcmBytes);
    written = 0;
    result = self.steam.decompressVoice(user, voice.Data(), static_cast<uint32_t>(voice.ByteLength()), pcm.Data(),
                                     static_cast<uint32_t>(pcm.ByteLength()), &written, rate);
  }
  Napi::Object out = Result(env, self.pcmResult);
  out.Set("result", result);
  out.Set("size", written);
  out.Set("uncompressed", pcm);
  return out;
}

Napi::Value GetVoiceOptimalSampleRate(const Napi::CallbackInfo& info) {
  USER_OR_RETURN(info.Env());
  return Napi::Number::New(info.Env(), self.steam.getVoiceOptimalSampleRate(user));
}

// ---- Identity ----------------------------------------------------------------------------

Napi::Value GetSteamID(const Napi::CallbackInfo& info) {
  USER_OR_RETURN(info.Env());
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(self.steam.getSteamID(user)));
}

Napi::Value LoggedOn(const Napi::CallbackInfo& info) {
  USER_OR_RETURN(info.Env());
  return Napi::Boolean::New(info.Env(), self.steam.loggedOn(user));
}

Napi::Value IsBehindNAT(const Napi::CallbackInfo& info) {
  USER_OR_RETURN(info.Env());
  return Napi::Boolean::New(info.Env(), self.steam.isBehindNAT(user));
}

Napi::Value GetPlayerSteamLevel(const Napi::CallbackInfo& info) {
  USER_OR_RETURN(info.Env());
  return Napi::Number::New(info.Env(), self.steam.getPlayerSteamLevel(user));
}

// ---- Auth sessions -----------------------------------------------------------------------

// SteamNetworkingIdentity: { int32 type; int32 size; union { uint64 steamID64; char raw[128]; } } = 136 bytes.
struct NetworkingIdentity {
  int32_t type;
  int32_t size;
  union {
    uint64_t steamID64;
    char raw[128];
  };
};
static_assert(sizeof(NetworkingIdentity) == 136, "SteamNetworkingIdentity is 136 bytes");
constexpr int32_t kIdentityTypeSteamID = 16;

Napi::Value GetAuthSessionTicket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* signature = "getAuthSessionTicket(remoteSteamId?)";
  NetworkingIdentity identity{};
  const NetworkingIdentity* forWhom = nullptr;
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    uint64_t remote = 0;
    if (!SteamIdArg(info, 0, signature, remote)) return env.Undefined();
    identity.type = kIdentityTypeSteamID;
    identity.size = 8;
    identity.steamID64 = remote;
    forWhom = &identity;
  }
  USER_OR_RETURN(env);
  std::vector<uint8_t> ticket(kMaxTicketBytes);
  uint32_t size = 0;
  uint32_t id = self.steam.getAuthSessionTicket(user, ticket.data(), kMaxTicketBytes, &size, forWhom);
  if (size > kMaxTicketBytes) size = 0;
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", id);
  out.Set("buffer", Napi::Buffer<uint8_t>::Copy(env, ticket.data(), size));
  out.Set("size", size);
  return out;
}

Napi::Value BeginAuthSession(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* signature = "beginAuthSession(ticket, ticketSize, steamId)";
  Napi::Uint8Array ticket;
  uint32_t size = 0;
  uint64_t steamId = 0;
  if (!BytesArg(info, 0, signature, "ticket", ticket) || !UintArg(info, 1, signature, "ticketSize", size) ||
      !SteamIdArg(info, 2, signature, steamId)) {
    return env.Undefined();
  }
  if (size > ticket.ByteLength()) {
    Napi::RangeError::New(env, std::string(signature) + ": ticketSize is larger than the ticket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  USER_OR_RETURN(env);
  return Napi::Number::New(env, self.steam.beginAuthSession(user, ticket.Data(), static_cast<int>(size), steamId));
}

Napi::Value EndAuthSession(const Napi::CallbackInfo& info) {
  uint64_t steamId = 0;
  if (!SteamIdArg(info, 0, "endAuthSession(steamId)", steamId)) return info.Env().Undefined();
  USER_OR_RETURN(info.Env());
  self.steam.endAuthSession(user, steamId);
  return info.Env().Undefined();
}

Napi::Value CancelAuthTicket(const Napi::CallbackInfo& info) {
  uint32_t id = 0;
  if (!UintArg(info, 0, "cancelAuthTicket(id)", "id", id)) return info.Env().Undefined();
  USER_OR_RETURN(info.Env());
  self.steam.cancelAuthTicket(user, id);
  return info.Env().Undefined();
}

Napi::Value UserHasLicenseForApp(const Napi::CallbackInfo& info) {
  const char* signature = "userHasLicenseForApp(steamId, appId)";
  uint64_t steamId = 0;
  uint32_t appId = 0;
  if (!SteamIdArg(info, 0, signature, steamId) || !UintArg(info, 1, signature, "appId", appId)) return info.Env().Undefined();
  USER_OR_RETURN(info.Env());
  return Napi::Number::New(info.Env(), self.steam.userHasLicenseForApp(user, steamId, appId));
}

// ---- Friends -----------------------------------------------------------------------------

std::string SafeString(const char* text) { return text ? std::string(text) : std::string(); }

Napi::Value GetPersonaName(const Napi::CallbackInfo& info) {
  FRIENDS_OR_RETURN(info.Env());
  return Napi::String::New(info.Env(), SafeString(self.steam.getPersonaName(friends)));
}

Napi::Value GetFriends(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FRIENDS_OR_RETURN(env);
  int count = self.steam.getFriendCount(friends, kFriendFlagImmediate);
  if (count < 0) count = 0;
  Napi::Array list = Napi::Array::New(env, static_cast<size_t>(count));
  for (int i = 0; i < count; i++) {
    uint64_t id = self.steam.getFriendByIndex(friends, i, kFriendFlagImmediate);
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("id", Napi::BigInt::New(env, id));
    entry.Set("name", SafeString(self.steam.getFriendPersonaName(friends, id)));
    entry.Set("personaState", self.steam.getFriendPersonaState(friends, id));
    list.Set(static_cast<uint32_t>(i), entry);
  }
  return list;
}

Napi::Value GetSmallFriendAvatar(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t id = 0;
  if (!SteamIdArg(info, 0, "getSmallFriendAvatar(steamId)", id)) return env.Undefined();
  FRIENDS_OR_RETURN(env);
  void* utils = Interface(env, self.steam.utils, self.steam.utilsVersion.c_str());
  if (!utils) return env.Undefined();
  int image = self.steam.getSmallFriendAvatar(friends, id);
  uint32_t width = 0, height = 0;
  if (image <= 0 || !self.steam.getImageSize(utils, image, &width, &height) || width == 0 || height == 0 || width > 1024 ||
      height > 1024) {
    return env.Null();
  }
  std::vector<uint8_t> rgba(static_cast<size_t>(width) * height * 4);
  if (!self.steam.getImageRGBA(utils, image, rgba.data(), static_cast<int>(rgba.size()))) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  out.Set("width", width);
  out.Set("height", height);
  out.Set("rgba", Napi::Buffer<uint8_t>::Copy(env, rgba.data(), rgba.size()));
  return out;
}

Napi::Value SetInGameVoiceSpeaking(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t id = 0;
  if (!SteamIdArg(info, 0, "setInGameVoiceSpeaking(steamId, speaking)", id)) return env.Undefined();
  if (info.Length() < 2 || !info[1].IsBoolean()) {
    Napi::TypeError::New(env, "setInGameVoiceSpeaking(steamId, speaking): speaking must be a boolean").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  FRIENDS_OR_RETURN(env);
  self.steam.setInGameVoiceSpeaking(friends, id, info[1].As<Napi::Boolean>().Value());
  return env.Undefined();
}

// ---- Lobbies and callbacks ---------------------------------------------------------------

#define MATCHMAKING_OR_RETURN(env)                                                   \
  Instance& self = Of(env);                                                          \
  void* matchmaking = Interface(env, self.steam.matchmaking, self.steam.matchmakingVersion.c_str()); \
  if (!matchmaking) return env.Undefined();

constexpr int kLobbyFriendsOnly = 1;
constexpr int kMaxLobbyMembers = 250;

// createLobby(maxMembers): the call handle; its result comes as a "lobbyCreated" event.
Napi::Value CreateLobby(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t max = 0;
  if (!UintArg(info, 0, "createLobby(maxMembers)", "maxMembers", max)) return env.Undefined();
  if (max < 1 || max > kMaxLobbyMembers) {
    Napi::RangeError::New(env, "createLobby(maxMembers): 1 to 250 members").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  MATCHMAKING_OR_RETURN(env);
  return Napi::BigInt::New(env, self.steam.createLobby(matchmaking, kLobbyFriendsOnly, static_cast<int>(max)));
}

// joinLobby(lobbyId): the call handle; its result comes as a "lobbyEntered" event.
Napi::Value JoinLobby(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t lobby = 0;
  if (!SteamIdArg(info, 0, "joinLobby(lobbyId)", lobby)) return env.Undefined();
  MATCHMAKING_OR_RETURN(env);
  return Napi::BigInt::New(env, self.steam.joinLobby(matchmaking, lobby));
}

Napi::Value LeaveLobby(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t lobby = 0;
  if (!SteamIdArg(info, 0, "leaveLobby(lobbyId)", lobby)) return env.Undefined();
  MATCHMAKING_OR_RETURN(env);
  self.steam.leaveLobby(matchmaking, lobby);
  return env.Undefined();
}

Napi::Value GetLobbyMembers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t lobby = 0;
  if (!SteamIdArg(info, 0, "getLobbyMembers(lobbyId)", lobby)) return env.Undefined();
  MATCHMAKING_OR_RETURN(env);
  int count = self.steam.getNumLobbyMembers(matchmaking, lobby);
  if (count < 0) count = 0;
  if (count > kMaxLobbyMembers) count = kMaxLobbyMembers;
  Napi::Array list = Napi::Array::New(env, static_cast<size_t>(count));
  for (int i = 0; i < count; i++)
    list.Set(static_cast<uint32_t>(i), Napi::BigInt::New(env, self.steam.getLobbyMemberByIndex(matchmaking, lobby, i)));
  return list;
}

Napi::Value OpenInviteDialog(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t lobby = 0;
  if (!SteamIdArg(info, 0, "openInviteDialog(lobbyId)", lobby)) return env.Undefined();
  FRIENDS_OR_RETURN(env);
  self.steam.inviteDialog(friends, lobby);
  return env.Undefined();
}

// steamworks.js's ChatMemberStateChange (0 entered … 4 banned) from Steam's bit flags.
int MemberStateChange(uint32_t flags) {
  if (flags & 0x10) return 4;
  if (flags & 0x08) return 3;
  if (flags & 0x04) return 2;
  if (flags & 0x02) return 1;
  return 0;
}

template <typename T>
bool Read(const CallbackMsg& msg, T& out) {
  if (!msg.param || msg.size < static_cast<int32_t>(sizeof(T))) return false;
  std::memcpy(&out, msg.param, sizeof(T));
  return true;
}

// One pass of Steam's manual callback dispatch: every pending callback Parley needs, as plain
// objects ({ callback, ... }); the others are freed unread. Call it often (30 times a second).
Napi::Value RunCallbacks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Instance& self = Of(env);
  if (!self.steam.lib) {
    Napi::Error::New(env, "Steam API not loaded (call load() first)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int32_t pipe = self.steam.getPipe();
  Napi::Array events = Napi::Array::New(env);
  if (pipe == 0) return events;
  self.steam.runFrame(pipe);
  CallbackMsg msg{};
  uint32_t n = 0;
  auto id = [&](uint64_t value) { return Napi::BigInt::New(env, value); };
  while (n < 1024 && self.steam.getNextCallback(pipe, &msg)) {
    Napi::Object event = Napi::Object::New(env);
    bool keep = true;
    event.Set("callback", msg.callback);
    switch (msg.callback) {
      case 101:
        break;
      case 103: {
        SteamServersDisconnected data{};
        if ((keep = Read(msg, data))) event.Set("reason", data.result);
        break;
      }
      case 143: {
        ValidateAuthTicketResponse data{};
        if ((keep = Read(msg, data))) {
          event.Set("steamId", id(data.steamId));
          event.Set("response", data.response);
          event.Set("ownerSteamId", id(data.owner));
        }
        break;
      }
      case 333: {
        GameLobbyJoinRequested data{};
        if ((keep = Read(msg, data))) event.Set("lobby", id(data.lobby));
        break;
      }
      case 506: {
        LobbyChatUpdate data{};
        if ((keep = Read(msg, data))) {
          event.Set("lobby", id(data.lobby));
          event.Set("userChanged", id(data.userChanged));
          event.Set("memberStateChange", MemberStateChange(data.stateChange));
        }
        break;
      }
      case 1202: {
        P2PSessionRequest data{};
        if ((keep = Read(msg, data))) event.Set("remote", id(data.remote));
        break;
      }
      case 1203: {
        P2PSessionConnectFail data{};
        if ((keep = Read(msg, data))) {
          event.Set("remote", id(data.remote));
          event.Set("error", data.error);
        }
        break;
      }
      case 703: {
        SteamAPICallCompleted done{};
        keep = Read(msg, done);
        if (!keep) break;
        event.Set("call", id(done.call));
        bool failed = false;
        if (done.callback == 513) {
          LobbyCreated data{};
          bool got = self.steam.getCallResult(pipe, done.call, &data, sizeof data, 513, &failed);
          event.Set("result", Napi::String::New(env, "lobbyCreated"));
          event.Set("ok", got && !failed && data.result == 1);
          event.Set("lobby", id(got ? data.lobby : 0));
          event.Set("eresult", got ? data.result : 0);
        } else if (done.callback == 504) {
          LobbyEnter data{};
          bool got = self.steam.getCallResult(pipe, done.call, &data, sizeof data, 504, &failed);
          event.Set("result", Napi::String::New(env, "lobbyEntered"));
          event.Set("ok", got && !failed && data.response == 1);
          event.Set("lobby", id(got ? data.lobby : 0));
          event.Set("eresult", got ? static_cast<int32_t>(data.response) : 0);
        } else {
          keep = false;
        }
        break;
      }
      default:
        keep = false;
    }
    self.steam.freeLastCallback(pipe);
    if (keep) events.Set(n++, event);
  }
  return events;
}

// ---- Module ------------------------------------------------------------------------------

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t napi_version = 0;
  napi_get_version(env, &napi_version);
  Napi::Object result = Napi::Object::New(env);
  result.Set("name", Napi::String::New(env, "parley_native"));
  result.Set("napiVersion", Napi::Number::New(env, napi_version));
  return result;
}

Napi::Value IsLoaded(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), Of(info.Env()).steam.lib != nullptr); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  const std::initializer_list<std::pair<const char*, Napi::Function::Callback>> functions = {
      {"buildInfo", BuildInfo},
      {"load", Load},
      {"isLoaded", IsLoaded},
      {"startVoiceRecording", StartVoiceRecording},
      {"stopVoiceRecording", StopVoiceRecording},
      {"getAvailableVoice", GetAvailableVoice},
      {"getVoice", GetVoice},
      {"decompressVoice", DecompressVoice},
      {"getVoiceOptimalSampleRate", GetVoiceOptimalSampleRate},
      {"getSteamID", GetSteamID},
      {"loggedOn", LoggedOn},
      {"isBehindNAT", IsBehindNAT},
      {"getPlayerSteamLevel", GetPlayerSteamLevel},
      {"getAuthSessionTicket", GetAuthSessionTicket},
      {"beginAuthSession", BeginAuthSession},
      {"endAuthSession", EndAuthSession},
      {"cancelAuthTicket", CancelAuthTicket},
      {"userHasLicenseForApp", UserHasLicenseForApp},
      {"getPersonaName", GetPersonaName},
      {"getFriends", GetFriends},
      {"getSmallFriendAvatar", GetSmallFriendAvatar},
      {"setInGameVoiceSpeaking", SetInGameVoiceSpeaking},
      {"createLobby", CreateLobby},
      {"joinLobby", JoinLobby},
      {"leaveLobby", LeaveLobby},
      {"getLobbyMembers", GetLobbyMembers},
      {"openInviteDialog", OpenInviteDialog},
      {"runCallbacks", RunCallbacks},
  };
  for (const auto& [name, callback] : functions) exports.Set(name, Napi::Function::New(env, callback, name));
  env.SetInstanceData<Instance>(new Instance());
  return exports;
}

}  // namespace

NODE_API_MODULE(parley_native, Init)
