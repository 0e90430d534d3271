import type { FastifyInstance, FastifyReply } from 'fastify';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../version.js';
import type { ModelQueues } from '../model-queues.js';
import { encodeResponse, INFERENCE_HEADER_LENGTH, splitBody } from './binary-data.js';
import { MODEL_VERSION, type V2Endpoint } from './endpoints.js';
import { checkInferRequest } from './tensors.js';

/** The extensions `GET /v2` lists. */
export const V2_EXTENSIONS: readonly string[] = ['binary_tensor_data'];

/** What {@link registerV2Routes} needs. */
export interface V2RouteOptions {
  /** The V2 models by name. */
  endpoints: ReadonlyMap<string, V2Endpoint>;
  /** Most items in one request. */
  maxBatch: number;
  /** The batch queues, to refuse requests before reading their bodies when a queue is full. */
  queues?: ModelQueues;
}

type ModelParams = { name: string; version?: string };

/**
 * Adds the Open Inference Protocol (KServe V2) HTTP/REST API, in a scope of
 * its own that reads bodies as bytes (JSON, or JSON followed by binary
 * tensor data):
 *
 * - `GET /v2` — server metadata (name, version, extensions);
 * - `GET /v2/health/live`, `GET /v2/health/ready` — 200 with an empty body;
 * - `GET /v2/models/<name>[/versions/1]` — model metadata;
 * - `GET /v2/models/<name>[/versions/1]/ready` — 200 with an empty body;
 * - `POST /v2/models/<name>[/versions/1]/infer` — inference, with the binary data extension.
 *
 * Errors are `{"error": "..."}`: 400 for a bad request, 404 for an unknown
 * model or version, 503 with `Retry-After` when the model's queue is full.
 *
 * @param app - The Fastify server the routes are added to.
 * @param options - The V2 endpoints, the most items a request may hold, and the batch queues.
 */
export async function registerV2Routes(app: FastifyInstance, options: V2RouteOptions): Promise<void> {
  const { endpoints, maxBatch, queues } = options;

  const find = (params: ModelParams, reply: FastifyReply): V2Endpoint | undefined => {
    const endpoint = endpoints.get(params.name);
    if (!endpoint) {
      void reply.code(404).send({ error: `unknown model '${params.name}'; serving ${[...endpoints.keys()].join(', ')}` });
      return undefined;
    }
    if (params.version !== undefined && params.version !== MODEL_VERSION) {
      void reply.code(404).send({ error: `model '${params.name}' has no version '${params.version}'; its only version is ${MODEL_VERSION}` });
      return undefined;
    }
    return endpoint;
  };

  await app.register(async (scope) => {
    // Bodies are JSON or JSON + binary tensors, whatever the content type says.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.get('/v2', async () => ({ name: PACKAGE_NAME, version: PACKAGE_VERSION, extensions: V2_EXTENSIONS }));
    scope.get('/v2/health/live', async (_request, reply) => reply.code(200).send());
    scope.get('/v2/health/ready', async (_request, reply) => reply.code(200).send());

    for (const prefix of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
      scope.get<{ Params: ModelParams }>(prefix, async (request, reply) => {
        const endpoint = find(request.params, reply);
        if (!endpoint) return reply;
        return { name: endpoint.name, versions: [MODEL_VERSION], platform: endpoint.platform, inputs: [endpoint.input], outputs: endpoint.outputs };
      });

      scope.get<{ Params: ModelParams }>(`${prefix}/ready`, async (request, reply) => {
        const endpoint = find(request.params, reply);
        return endpoint ? reply.code(200).send() : reply;
      });

      scope.post<{ Params: ModelParams }>(
        `${prefix}/infer`,
        {
          onRequest: async (request, reply) => {
            if (queues?.refuseWhenFull(endpoints.get((request.params as ModelParams).name)?.served, reply)) return reply;
          },
        },
        async (request, reply) => {
          const endpoint = find(request.params, reply);
          if (!endpoint) return reply;
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const { json, binary } = splitBody(body, request.headers[INFERENCE_HEADER_LENGTH]);
          const checked = checkInferRequest(json, binary, endpoint, maxBatch);
          const results = await endpoint.infer(checked.input.data, checked.input.count);
          const encoded = encodeResponse(
            { model_name: endpoint.name, model_version: MODEL_VERSION, ...(checked.id === undefined ? {} : { id: checked.id }) },
            checked.outputs.map(({ name, binary: asBinary }) => ({
              fields: { name, datatype: 'FP32', shape: results[name].shape },
              values: results[name].data,
              binary: asBinary,
            })),
          );
          if (encoded.headerLength === undefined) return reply.type('application/json').send(encoded.body);
          return reply.type('application/octet-stream').header(INFERENCE_HEADER_LENGTH, String(encoded.headerLength)).send(encoded.body);
        },
      );
    }
  });
}
