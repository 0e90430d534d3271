// Rows of bytes (images kept as bytes in JavaScript) gathered by index and
// written as floats in [0, 1] straight into a tensor on the wasm heap: the
// native face of core's AekitUnitFloatsFromBytes contract (byte-rows.cc).
#ifndef AEKIT_BYTE_ROWS_H
#define AEKIT_BYTE_ROWS_H

#include <node_api.h>

/** Adds `unitFloatsFromBytes(heap, outOffset, bytes, rows, rowLength)` to the addon's exports. */
void aekit_define_byte_rows(napi_env env, napi_value exports);

#endif
