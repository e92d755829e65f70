/*
 * Valgrind client requests for perftrack's instruction-count mode (src/runner/measure-instructions.ts).
 * Client requests are a magic instruction sequence that only native code can emit; outside
 * Valgrind they are a few no-op instructions. Built on first use by src/runner/callgrind-addon.ts.
 */
#include <node_api.h>
#include <valgrind/callgrind.h>

static napi_value running_on_valgrind(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_get_boolean(env, RUNNING_ON_VALGRIND ? 1 : 0, &out);
  return out;
}

static napi_value start_instrumentation(napi_env env, napi_callback_info info) {
  CALLGRIND_START_INSTRUMENTATION;
  return NULL;
}

static napi_value stop_instrumentation(napi_env env, napi_callback_info info) {
  CALLGRIND_STOP_INSTRUMENTATION;
  return NULL;
}

/* Zero the counters and start collecting: the next instructions are the measured ones. */
static napi_value begin_count(napi_env env, napi_callback_info info) {
  CALLGRIND_ZERO_STATS;
  CALLGRIND_TOGGLE_COLLECT;
  return NULL;
}

/* Pause or resume collecting (around a benchmark's untimed beforeEach). */
static napi_value toggle_collect(napi_env env, napi_callback_info info) {
  CALLGRIND_TOGGLE_COLLECT;
  return NULL;
}

/* Stop collecting and dump the counts to the next callgrind.out file, named by `label`. */
static napi_value end_count(napi_env env, napi_callback_info info) {
  CALLGRIND_TOGGLE_COLLECT;
  size_t argc = 1;
  napi_value argv[1];
  char label[256] = "perftrack";
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1) napi_get_value_string_utf8(env, argv[0], label, sizeof label, NULL);
  CALLGRIND_DUMP_STATS_AT(label);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"runningOnValgrind", NULL, running_on_valgrind, NULL, NULL, NULL, napi_default, NULL},
    {"startInstrumentation", NULL, start_instrumentation, NULL, NULL, NULL, napi_default, NULL},
    {"stopInstrumentation", NULL, stop_instrumentation, NULL, NULL, NULL, napi_default, NULL},
    {"beginCount", NULL, begin_count, NULL, NULL, NULL, napi_default, NULL},
    {"toggleCollect", NULL, toggle_collect, NULL, NULL, NULL, napi_default, NULL},
    {"endCount", NULL, end_count, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
