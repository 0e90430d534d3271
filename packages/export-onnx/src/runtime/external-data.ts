import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataFileError } from '@aekit/core';
import { resolveInside } from '@aekit/core/node';
import type { OnnxTypes } from '../onnx/proto.js';

/** `TensorProto.DataLocation.EXTERNAL`: the tensor's bytes are in another file. */
const EXTERNAL = 1;

/**
 * Checks the files an ONNX model keeps tensors in (ONNX's external data,
 * `location` relative to the model file) before onnxruntime reads them:
 * each must stay inside the model's folder and be a regular file holding
 * the bytes the model reads (`offset` + `length`). A model file from
 * someone else can then make the runtime read nothing outside its folder:
 * not `../../etc/passwd`, not a device, not a FIFO that would hang it.
 *
 * @param model - The decoded model.
 * @param path - The model file; a model given as bytes has no folder, so external data is refused.
 * @param label - How messages name the model.
 * @returns Whether the model has external data (onnxruntime must then load it from its path).
 * @throws DataFileError naming the model and the offending location.
 */
export async function checkExternalData(model: OnnxTypes.IModelProto, path: string | undefined, label: string): Promise<boolean> {
  const external = tensorsOf(model.graph).filter((t) => t.dataLocation === EXTERNAL || (t.externalData?.length ?? 0) > 0);
  for (const tensor of external) {
    const entries = Object.fromEntries((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const what = `external data of tensor '${tensor.name ?? ''}'`;
    if (!path) throw new DataFileError(label, `${what} is kept in another file, which a model given as bytes cannot name; load it from its path`);
    const file = await resolveInside(dirname(path), entries.location, { namedIn: path, what });
    const end = Number(entries.offset ?? 0) + Number(entries.length ?? 0);
    const size = (await stat(file)).size;
    if (!Number.isSafeInteger(end) || end < 0 || end > size) {
      throw new DataFileError(path, `${what} ${JSON.stringify(entries.location)} is ${size} bytes; the model reads up to byte ${entries.offset ?? 0} + ${entries.length ?? 0}`);
    }
  }
  return external.length > 0;
}

/** The graph's initializers and the tensors of its nodes' attributes (Constant values). */
function tensorsOf(graph: OnnxTypes.IGraphProto | null | undefined): OnnxTypes.ITensorProto[] {
  if (!graph) return [];
  const attributes = (graph.node ?? []).flatMap((node) => node.attribute ?? []);
  return [
    ...(graph.initializer ?? []),
    ...attributes.flatMap((a) => [...(a.t ? [a.t] : []), ...(a.tensors ?? [])]),
    ...attributes.flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]).flatMap((g) => tensorsOf(g)),
  ];
}
