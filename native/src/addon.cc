// Parley's Node-API addon. For now it proves the build-and-load chain; the Steamworks flat-API
// binding (voice, auth sessions, friends) lands here next.
#include <napi.h>

namespace {

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t napi_version = 0;
  napi_get_version(env, &napi_version);
  Napi::Object result = Napi::Object::New(env);
  result.Set("name", Napi::String::New(env, "parley_native"));
  result.Set("napiVersion", Napi::Number::New(env, napi_version));
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
  return exports;
}

}  // namespace

NODE_API_MODULE(parley_native, Init)
