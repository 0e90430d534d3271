import { AeError } from '@aekit/core';
import { InvalidInputError } from '@aekit/export-onnx';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { QueueFullError } from './batch-queue.js';
import { BodyBudget } from './body-budget.js';
import type { ServerContext } from './context.js';
import { HttpError } from './errors.js';
import { createHttpServer } from './http-server.js';
import { resolveLimits, type ServerLimits } from './limits.js';
import { ServerMetrics } from './metrics.js';
import { ModelQueues, sendQueueFull } from './model-queues.js';
import type { ServedModel } from './served-model.js';
import { registerV1Routes } from './v1/routes.js';
import { v2Endpoints } from './v2/endpoints.js';
import { registerV2Routes } from './v2/routes.js';
import { CodecPool } from './workers/codec-pool.js';

/** Options of {@link createServer}. */
export interface ServerOptions extends Partial<ServerLimits> {
  /** The models to serve, each under its name. */
  models: readonly ServedModel[];
  /**
   * Dynamic batching: concurrent requests to one ONNX file are merged into
   * one model call of up to `maxBatch` items. On unless `false`.
   */
  batching?: boolean;
  /** Longest a request waits for others to join its model call, in ms; 0 (merge only what is already waiting) unless given. */
  maxDelayMs?: number;
  /** Most requests waiting for each ONNX file; beyond that requests get 503 with `Retry-After`. 128 unless given. */
  maxQueue?: number;
  /** Worker threads that decode large bodies and encode large JSON answers; 0 does it on the event loop. One or two unless given. */
  codecThreads?: number;
  /** Bodies of this many bytes or more are decoded on a codec thread; 256 KiB unless given. */
  largeBodyBytes?: number;
  /** JSON answers of this many values or more are encoded on a codec thread; 32,768 unless given. */
  largeAnswerValues?: number;
  /** fastify's logger option; off unless given. */
  logger?: FastifyServerOptions['logger'];
}

/**
 * Creates the HTTP server (fastify on Node's HTTP server) for ONNX autoencoders:
 *
 * - aekit's routes: `GET /health`, `GET /v1/models[/<name>]`, `POST /v1/models/<name>/<action>` (see `registerV1Routes`);
 * - the Open Inference Protocol (KServe V2) under `/v2` (see {@link registerV2Routes});
 * - `GET /metrics` — Prometheus metrics (see {@link ServerMetrics}).
 *
 * Every request is bounded before the work it asks for: its body by the
 * body limit and by the bytes of bodies the server holds at once, its
 * headers and body by timeouts, its answer by `maxResponseBytes` (computed
 * from the shapes), its batch by `maxBatch`, and its wait by the model's
 * queue (`maxQueue`; dynamic batching merges concurrent requests, see
 * `BatchQueue`). Model calls run on one worker thread per ONNX file, and
 * large bodies and JSON answers are decoded and encoded on codec threads,
 * so the event loop answers health checks, metrics and small requests
 * while large ones are worked on.
 *
 * Bad input gets a 400 with a message saying what and where; oversized
 * bodies and answers a 413; other content types a 415; unknown models and
 * routes a 404; a full queue or too many bodies in flight a 503 with
 * `Retry-After`; a slow client a 408. Error bodies are `{"error": "..."}`
 * as `application/json`.
 *
 * Call `listen` on the result (port 0 picks a free port) and `close` when
 * done; closing stops the codec threads, and the models stay open for the
 * caller to close.
 *
 * @param options - The models to serve, the limits, batching, codec threads and fastify's logger.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  if (new Set(options.models.map((m) => m.name)).size !== options.models.length) throw new AeError('serve', 'two models have the same name');
  const largestItem = Math.max(...options.models.flatMap((m) => m.actions.map((a) => m.itemShape(a).reduce((x, y) => x * y, 1))));
  const limits = resolveLimits(options, largestItem);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyLimit,
    serverFactory: (handler) => createHttpServer(limits, handler),
  });
  const metrics = new ServerMetrics();
  metrics.instrument(app);
  const batching = { maxBatch: limits.maxBatch, maxDelayMs: options.maxDelayMs ?? 0, maxQueue: options.maxQueue ?? 128, merge: options.batching !== false };
  const queues = new ModelQueues(options.models, batching, metrics);
  const bodies = new BodyBudget(limits.maxReceivingBytes, limits.bodyLimit);
  bodies.register(app);
  metrics.watchBodies(() => bodies.bytes);
  // Every route runs the models through their queues.
  const served = options.models.map((m) => m.withRunner(queues.run));
  // Checked before any thread starts: two models must not claim one V2 name.
  const endpoints = v2Endpoints(served);
  const codec = new CodecPool(options.codecThreads);
  app.addHook('onClose', async () => codec.close());
  const context: ServerContext = {
    models: new Map(served.map((m) => [m.name, m])),
    limits,
    queues,
    codec,
    bodies,
    metrics,
    largeBodyBytes: options.largeBodyBytes ?? 256 * 1024,
    largeAnswerValues: options.largeAnswerValues ?? 32_768,
  };

  // Raw bytes for JSON and float32 bodies alike: decoding is the routes' job (and the codec threads').
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/octet-stream'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding && encoding !== 'identity') throw new HttpError(415, `Content-Encoding ${encoding} is not supported; send the body uncompressed`);
  });
  // JSON is UTF-8 by definition (RFC 8259); some clients compare the content type exactly.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') reply.header('content-type', 'application/json');
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof InvalidInputError) return reply.code(400).send({ error: error.message });
    if (error instanceof QueueFullError) return sendQueueFull(reply, error);
    if (error instanceof HttpError) return reply.code(error.statusCode).headers(error.headers).send({ error: error.message });
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 600 && status !== 500) return reply.code(status).send({ error: error.message });
    request.log.error(error);
    return reply.code(500).send({ error: `inference failed: ${error.message}` });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));

  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
  try {
    registerV1Routes(app, context);
    await registerV2Routes(app, context, endpoints);
  } catch (error) {
    await codec.close();
    throw error;
  }
  return app;
}
