import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../version.js';
import { checkAnswerSize, checkFinite, valuesPerItem } from '../answers.js';
import { INFERENCE_HEADER_LENGTH, type ResponseTensor } from '../codec/v2-body.js';
import type { ServerContext } from '../context.js';
import { MODEL_VERSION, type V2Endpoint } from './endpoints.js';
import { endpointConfig } from './model-config.js';

/**
 * The extensions `GET /v2` lists: binary tensor data, and Triton's model
 * configuration (`GET /v2/models/<name>/config`).
 */
export const V2_EXTENSIONS: readonly string[] = ['binary_tensor_data', 'model_configuration'];

type ModelParams = { name: string; version?: string };

/**
 * Adds the Open Inference Protocol (KServe V2) HTTP/REST API, in a scope of
 * its own that reads bodies as bytes (JSON, or JSON followed by binary
 * tensor data), whatever their content type says:
 *
 * - `GET /v2` and `GET /v2/` — server metadata (name, version, extensions);
 * - `GET /v2/health/live` — `{"live": true}`; `GET /v2/health/ready` — `{"ready": true}`;
 * - `GET /v2/models/<name>[/versions/1]` — model metadata;
 * - `GET /v2/models/<name>[/versions/1]/ready` — `{"name", "ready": true}`;
 * - `GET /v2/models/<name>[/versions/1]/config` — Triton's model configuration as JSON;
 * - `POST /v2/models/<name>[/versions/1]/infer` — inference, with the binary data extension.
 *
 * Health answers keep the protocol's status codes (200), so clients that
 * look only at the status and clients that read the body both work.
 * Errors are `{"error": "..."}` as `application/json`: 400 for a bad
 * request, 404 for an unknown model or version, 413 for an answer larger
 * than `--max-response-bytes`, 422 for a model output that is not a
 * finite number, 503 with `Retry-After` when the model's queue is full.
 *
 * @param app - The Fastify server the routes are added to.
 * @param context - The V2 endpoints, limits, queues and codec threads.
 * @param endpoints - The V2 models by name.
 */
export async function registerV2Routes(app: FastifyInstance, context: ServerContext, endpoints: ReadonlyMap<string, V2Endpoint>): Promise<void> {
  const { limits, queues, codec } = context;

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

    const serverMetadata = async () => ({ name: PACKAGE_NAME, version: PACKAGE_VERSION, extensions: V2_EXTENSIONS });
    scope.get('/v2', serverMetadata);
    scope.get('/v2/', serverMetadata);
    scope.get('/v2/health/live', async () => ({ live: true }));
    // Every model is loaded before the server listens, so a listening server is ready.
    scope.get('/v2/health/ready', async () => ({ ready: true }));

    for (const prefix of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
      scope.get<{ Params: ModelParams }>(prefix, async (request, reply) => {
        const endpoint = find(request.params, reply);
        if (!endpoint) return reply;
        return { name: endpoint.name, versions: [MODEL_VERSION], platform: endpoint.platform, inputs: [endpoint.input], outputs: endpoint.outputs };
      });

      scope.get<{ Params: ModelParams }>(`${prefix}/ready`, async (request, reply) => {
        const endpoint = find(request.params, reply);
        return endpoint ? { name: endpoint.name, ready: true } : reply;
      });

      scope.get<{ Params: ModelParams }>(`${prefix}/config`, async (request, reply) => {
        const endpoint = find(request.params, reply);
        return endpoint ? endpointConfig(endpoint, queues.options) : reply;
      });

      scope.post<{ Params: ModelParams }>(
        `${prefix}/infer`,
        {
          onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
            if (queues.refuseWhenFull(endpoints.get((request.params as ModelParams).name)?.served, reply)) return reply;
          },
        },
        async (request, reply) => {
          const endpoint = find(request.params, reply);
          if (!endpoint) return reply;
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const header = request.headers[INFERENCE_HEADER_LENGTH];
          const checked = await codec.run(
            'v2Request',
            { bytes: body, headerLength: Array.isArray(header) ? header[0] : header, signature: { input: endpoint.input, outputs: endpoint.outputs }, maxBatch: limits.maxBatch },
            body.length >= context.largeBodyBytes,
            [body],
          );
          const { count } = checked.input;
          const declared = new Map(endpoint.outputs.map((o) => [o.name, o]));
          // The answer's size from the model's shapes, before the request waits for the model.
          const sizes = checked.outputs.map(({ name }) => valuesPerItem(declared.get(name)!.shape));
          if (sizes.every((s) => s !== undefined)) {
            checkAnswerSize(
              checked.outputs.map(({ name, binary }, i) => ({ values: count * sizes[i]!, bytesPerValue: declared.get(name)!.datatype === 'FP64' ? 8 : 4, binary })),
              limits.maxResponseBytes,
            );
          }
          const results = await endpoint.infer(checked.input.data, count);
          const outputs: ResponseTensor[] = checked.outputs.map(({ name, binary }) => {
            const { data, shape } = results[name];
            checkFinite(name, data, count);
            return { fields: { name, datatype: declared.get(name)!.datatype, shape }, values: data, binary };
          });
          checkAnswerSize(
            outputs.map((o) => ({ values: o.values.length, bytesPerValue: o.values.BYTES_PER_ELEMENT as 4 | 8, binary: o.binary })),
            limits.maxResponseBytes,
          );
          const response = { model_name: endpoint.name, model_version: MODEL_VERSION, ...(checked.id === undefined ? {} : { id: checked.id }) };
          const jsonValues = outputs.reduce((n, o) => n + (o.binary ? 0 : o.values.length), 0);
          const encoded = await codec.run(
            'v2Response',
            { response, outputs },
            jsonValues >= context.largeAnswerValues,
            outputs.map((o) => o.values),
          );
          if (encoded.headerLength === undefined) return reply.type('application/json').send(encoded.body);
          return reply.type('application/octet-stream').header(INFERENCE_HEADER_LENGTH, String(encoded.headerLength)).send(encoded.body);
        },
      );
    }
  });
}
