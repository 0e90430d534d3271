import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { AeError } from '@aekit/core';
import { flattenItems, float32Bytes, InvalidInputError, parseFloat32Batch, toRows, type FlatBatch, type RunOutput } from '@aekit/export-onnx';
import { QueueFullError } from './batch-queue.js';
import { ServerMetrics } from './metrics.js';
import { ModelQueues, sendQueueFull } from './model-queues.js';
import { ACTIONS, type Action, type ServedModel } from './served-model.js';
import { v2Endpoints } from './v2/endpoints.js';
import { registerV2Routes } from './v2/routes.js';

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** The models to serve, each under its name. */
  models: readonly ServedModel[];
  /** Most items in one request, and in one model call of dynamic batching; 256 unless given. */
  maxBatch?: number;
  /**
   * Dynamic batching: concurrent requests to one ONNX file are merged into
   * one model call of up to `maxBatch` items. On unless `false`.
   */
  batching?: boolean;
  /** Longest a request waits for others to join its model call, in ms; 0 (merge only what is already waiting) unless given. */
  maxDelayMs?: number;
  /** Most requests waiting for each ONNX file; beyond that requests get 503 with `Retry-After`. 128 unless given. */
  maxQueue?: number;
  /**
   * Largest request body in bytes. Default: room for a full batch of the
   * largest item as JSON (32 bytes a value), at least 1 MiB.
   */
  bodyLimit?: number;
  /** fastify's logger option; off unless given. */
  logger?: FastifyServerOptions['logger'];
}

/** Header that carries the shape of a binary (float32) response, e.g. `2,28,28,1`. */
export const SHAPE_HEADER = 'x-shape';

/**
 * Creates the HTTP server (fastify) for ONNX autoencoders:
 *
 * - `GET /health` — `{ status: "ok", models: [...] }`
 * - `GET /v1/models` and `GET /v1/models/<name>` — metadata, parts, inputs, outputs
 * - `POST /v1/models/<name>/reconstruct | encode | decode | score`
 * - the Open Inference Protocol (KServe V2) under `/v2` (see {@link registerV2Routes})
 * - `GET /metrics` — Prometheus metrics (see {@link ServerMetrics})
 *
 * Every model call goes through a bounded queue per ONNX file that merges
 * concurrent requests (dynamic batching, see {@link BatchQueue}); a full
 * queue answers 503 with `Retry-After`.
 *
 * A POST body is JSON `{ "inputs": [item, ...] }` (each item flat or nested
 * in the item's shape) or raw little-endian float32 values with
 * `Content-Type: application/octet-stream`; the answer comes back in the
 * same format. Bad input gets a 400 with a message saying what and where;
 * oversized bodies a 413; unknown models and routes a 404.
 *
 * Call `listen` on the result (port 0 picks a free port) and `close` when done;
 * the models stay open for the caller to close.
 *
 * @param options - The models to serve, the largest batch and body, and fastify's logger.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const maxBatch = options.maxBatch ?? 256;
  if (new Set(options.models.map((m) => m.name)).size !== options.models.length) throw new AeError('serve', 'two models have the same name');
  const largestItem = Math.max(
    ...options.models.flatMap((m) => m.actions.map((a) => m.itemShape(a).reduce((x, y) => x * y, 1))),
  );
  const bodyLimit = options.bodyLimit ?? Math.max(1 << 20, maxBatch * largestItem * 32);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit });
  const metrics = new ServerMetrics();
  metrics.instrument(app);
  const batching = { maxBatch, maxDelayMs: options.maxDelayMs ?? 0, maxQueue: options.maxQueue ?? 128, merge: options.batching !== false };
  const queues = new ModelQueues(options.models, batching, metrics);
  // Every route runs the models through their queues.
  const served = options.models.map((m) => m.withRunner(queues.run));
  const byName = new Map(served.map((m) => [m.name, m]));

  // JSON (fastify's own parser) and float32 bytes; nothing else.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof InvalidInputError) return reply.code(400).send({ error: error.message });
    if (error instanceof QueueFullError) return sendQueueFull(reply, error);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
    request.log.error(error);
    return reply.code(500).send({ error: `inference failed: ${error.message}` });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));

  const find = (name: string, reply: FastifyReply): ServedModel | undefined => {
    const model = byName.get(name);
    if (!model) void reply.code(404).send({ error: `no model named '${name}'; serving ${[...byName.keys()].join(', ')}` });
    return model;
  };

  app.get('/health', async () => ({ status: 'ok', models: [...byName.keys()] }));
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
  app.get('/v1/models', async () => ({ models: served.map((m) => m.describe()), maxBatch }));
  app.get<{ Params: { name: string } }>('/v1/models/:name', async (request, reply) => {
    const model = find(request.params.name, reply);
    return model ? { ...model.describe(), maxBatch } : reply;
  });

  const refuseWhenFull = async (request: FastifyRequest, reply: FastifyReply) => {
    if (queues.refuseWhenFull(byName.get((request.params as { name: string }).name), reply)) return reply;
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
    const binary = Buffer.isBuffer(request.body) || request.headers['content-type']?.startsWith('application/octet-stream') === true;
    const batch = binary
      ? parseFloat32Batch(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), size(itemShape), maxBatch)
      : parseJsonBody(request.body, itemShape, maxBatch);
    const answer = await run(model, action, batch);
    if (binary) {
      return reply.header('content-type', 'application/octet-stream').header(SHAPE_HEADER, answer.primary.shape.join(',')).send(float32Bytes(answer.primary.data));
    }
    return { model: model.name, count: batch.count, ...answer.json };
  });

  await registerV2Routes(app, { endpoints: v2Endpoints(served), maxBatch, queues });
  return app;
}

/** What one action computed: its main output (for binary answers) and the JSON answer's fields. */
interface Answer {
  primary: RunOutput;
  json: Record<string, unknown>;
}

async function run(model: ServedModel, action: Action, batch: FlatBatch): Promise<Answer> {
  const { data, count } = batch;
  switch (action) {
    case 'reconstruct':
    case 'decode': {
      const output = action === 'reconstruct' ? await model.reconstruct(data, count) : await model.decode(data, count);
      return { primary: output, json: { shape: output.shape, reconstructions: toRows(output.data, count) } };
    }
    case 'encode': {
      const outputs = Object.entries(await model.encode(data, count));
      const [, code] = outputs[0];
      const json: Record<string, unknown> = { shape: code.shape, codes: toRows(code.data, count) };
      // A VAE's encoder also gives the log-variance; name every output then.
      if (outputs.length > 1) json.outputs = Object.fromEntries(outputs.map(([name, o]) => [name, toRows(o.data, count)]));
      return { primary: code, json };
    }
    case 'score': {
      const scores = await model.score(data, count);
      return { primary: { data: Float32Array.from(scores), shape: [count] }, json: { scores } };
    }
  }
}

function parseJsonBody(body: unknown, itemShape: readonly number[], maxBatch: number): FlatBatch {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('inputs' in body)) {
    throw new InvalidInputError(`body: expected a JSON object {"inputs": [...]} with items of shape [${itemShape}]`);
  }
  return flattenItems((body as { inputs: unknown }).inputs, itemShape, { maxBatch, field: 'inputs' });
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
