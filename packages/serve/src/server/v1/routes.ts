import { parseFloat32Batch, type FlatBatch } from '@aekit/export-onnx';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkAnswerSize, checkFinite, valuesPerItem, type AnswerTensor } from '../answers.js';
import type { JsonTensor } from '../codec/json.js';
import { littleEndian } from '../codec/v2-body.js';
import type { ServerContext } from '../context.js';
import { ACTIONS, type Action, type ServedModel } from '../served-model.js';
import { prepareRawItems } from './raw-items.js';

/** Header that carries the shape of a binary response, e.g. `2,28,28,1`. */
export const SHAPE_HEADER = 'x-shape';

/** Header that carries the element type of a binary response: `FP32`, or `FP64` for scores. */
export const DATATYPE_HEADER = 'x-datatype';

/** What one action computed: its main output (the binary answer) and every tensor of the JSON answer. */
interface Answer {
  primary: { name: string; data: Float32Array | Float64Array; shape: readonly number[] };
  fields: Record<string, unknown>;
  tensors: JsonTensor[];
}

/**
 * Adds aekit's own routes:
 *
 * - `GET /health` — `{ status: "ok", models: [...] }`
 * - `GET /v1/models` and `GET /v1/models/<name>` — metadata, parts, inputs, outputs
 * - `POST /v1/models/<name>/reconstruct | encode | decode | score`
 *
 * A POST body is JSON `{ "inputs": [item, ...] }` (each item flat or nested
 * in the item's shape) or raw little-endian float32 values with
 * `Content-Type: application/octet-stream`; the answer comes back in the
 * same format, binary answers with their shape in `x-shape` and their
 * element type in `x-datatype` (scores are float64).
 *
 * @param app - The server.
 * @param context - Models, limits, queues and the codec threads.
 */
export function registerV1Routes(app: FastifyInstance, context: ServerContext): void {
  const { models, limits, queues, codec } = context;

  const find = (name: string, reply: FastifyReply): ServedModel | undefined => {
    const model = models.get(name);
    if (!model) void reply.code(404).send({ error: `no model named '${name}'; serving ${[...models.keys()].join(', ')}` });
    return model;
  };

  app.get('/health', async () => ({ status: 'ok', models: [...models.keys()] }));
  app.get('/v1/models', async () => ({ models: [...models.values()].map((m) => m.describe()), maxBatch: limits.maxBatch }));
  app.get<{ Params: { name: string } }>('/v1/models/:name', async (request, reply) => {
    const model = find(request.params.name, reply);
    return model ? { ...model.describe(), maxBatch: limits.maxBatch } : reply;
  });

  const refuseWhenFull = async (request: FastifyRequest, reply: FastifyReply) => {
    if (queues.refuseWhenFull(models.get((request.params as { name: string }).name), reply)) return reply;
  };

  app.post<{ Params: { name: string; action: string } }>('/v1/models/:name/:action', { onRequest: refuseWhenFull }, async (request, reply) => {
    const model = find(request.params.name, reply);
    if (!model) return reply;
    const action = request.params.action as Action;
    if (!ACTIONS.includes(action)) {
      return reply.code(404).send({ error: `no action '${request.params.action}'; use one of ${ACTIONS.join(', ')}` });
    }
    const missing = model.missing(action);
    if (missing) return reply.code(404).send({ error: missing });
    const itemShape = model.itemShape(action);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const binary = request.headers['content-type']?.startsWith('application/octet-stream') === true;
    const parsed = binary
      ? parseFloat32Batch(body, itemShape.reduce((a, b) => a * b, 1), limits.maxBatch)
      : await codec.run('v1Request', { bytes: body, itemShape, maxBatch: limits.maxBatch }, body.length >= context.largeBodyBytes, [body]);
    // Raw items (table rows, image files) go through the model's saved preprocessing here, on the main thread, as `ae infer` reads files.
    const batch: FlatBatch = 'raw' in parsed ? await prepareRawItems(model, action, parsed.raw, itemShape) : parsed;
    const expected = expectedTensors(model, action, batch.count, binary);
    if (expected) checkAnswerSize(expected, limits.maxResponseBytes);
    const answer = await run(model, action, batch);
    if (binary) {
      const { primary } = answer;
      if (!expected) checkAnswerSize([{ values: primary.data.length, bytesPerValue: primary.data.BYTES_PER_ELEMENT as 4 | 8, binary }], limits.maxResponseBytes);
      return reply
        .header('content-type', 'application/octet-stream')
        .header(SHAPE_HEADER, primary.shape.join(','))
        .header(DATATYPE_HEADER, primary.data instanceof Float64Array ? 'FP64' : 'FP32')
        .send(littleEndian(primary.data));
    }
    const values = answer.tensors.reduce((n, t) => n + t.values.length, 0);
    if (!expected) checkAnswerSize(answer.tensors.map((t) => ({ values: t.values.length, bytesPerValue: 4, binary: false, rows: t.rows })), limits.maxResponseBytes);
    const fields = { model: model.name, count: batch.count, ...answer.fields };
    const encoded = await codec.run(
      'v1Response',
      { fields, tensors: answer.tensors },
      values >= context.largeAnswerValues,
      answer.tensors.map((t) => t.values),
    );
    return reply.type('application/json').send(encoded);
  });
}

/** The tensors an action's answer will hold, from the model's shapes; undefined when a shape varies beyond the batch. */
function expectedTensors(model: ServedModel, action: Action, count: number, binary: boolean): AnswerTensor[] | undefined {
  if (action === 'score') return [{ values: count, bytesPerValue: 8, binary, rows: 0 }];
  const { full, encoder, decoder } = model.parts;
  const part = action === 'encode' ? encoder : action === 'decode' ? decoder : (full ?? decoder);
  const outputs = part!.file.outputs;
  // A binary answer is the first output; a JSON encode answer repeats the first as `codes` when it names every output.
  const listed = binary ? outputs.slice(0, 1) : action === 'encode' && outputs.length > 1 ? [outputs[0], ...outputs] : outputs.slice(0, 1);
  const sizes = listed.map((o) => valuesPerItem(o.shape));
  if (sizes.some((s) => s === undefined)) return undefined;
  return sizes.map((size) => ({ values: count * size!, bytesPerValue: 4, binary, rows: count }));
}

async function run(model: ServedModel, action: Action, batch: FlatBatch): Promise<Answer> {
  const { data, count } = batch;
  switch (action) {
    case 'reconstruct':
    case 'decode': {
      const output = action === 'reconstruct' ? await model.reconstruct(data, count) : await model.decode(data, count);
      const outputName = model.primaryOutput(action);
      checkFinite(outputName, output.data, count);
      return {
        primary: { name: outputName, ...output },
        fields: { shape: output.shape },
        tensors: [{ path: ['reconstructions'], values: output.data, rows: count }],
      };
    }
    case 'encode': {
      const outputs = Object.entries(await model.encode(data, count));
      for (const [outputName, output] of outputs) checkFinite(outputName, output.data, count);
      const [first, code] = outputs[0];
      const tensors: JsonTensor[] = [{ path: ['codes'], values: code.data, rows: count }];
      // A VAE's encoder also gives the log-variance; name every output then.
      if (outputs.length > 1) tensors.push(...outputs.map(([outputName, o]) => ({ path: ['outputs', outputName], values: o.data, rows: count })));
      return { primary: { name: first, ...code }, fields: { shape: code.shape }, tensors };
    }
    case 'score': {
      const scores = await model.score(data, count);
      checkFinite('score', scores.data, count);
      return { primary: { name: 'score', ...scores }, fields: {}, tensors: [{ path: ['scores'], values: scores.data }] };
    }
  }
}
