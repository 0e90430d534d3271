import { commandOptions, ConfigError, integerIn, option, pluginCommand, positiveNumber, z, type CommandIO, type PluginCommand } from '@aekit/core';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../server/create-server.js';
import { loadServedModels, type ServedModel } from '../server/served-model.js';
import { v2Endpoints } from '../server/v2/endpoints.js';
import { positionals } from './options.js';

/** The options of `ae serve`, declared once: flags, help, defaults and checks derive from it. */
export const serveOptions = commandOptions({
  port: option(integerIn({ min: 0, max: 65535 }), { value: 'n', help: 'TCP port (0 picks a free one)', default: 8080 }),
  host: option(z.string().min(1), { value: 'address', help: 'address to listen on', default: '127.0.0.1' }),
  maxBatch: option(integerIn({ min: 1 }), { value: 'n', help: 'most items in one request, and in one model call when batching', default: 256 }),
  maxDelayMs: option(integerIn({ min: 0, max: 60_000 }), {
    value: 'ms',
    help: 'longest a request waits for others to join its model call (0: merge only what is already waiting)',
    default: 0,
  }),
  maxQueue: option(integerIn({ min: 1 }), { value: 'n', help: 'most requests waiting per ONNX file; beyond that 503 with Retry-After', default: 128 }),
  batching: option(z.boolean(), { help: 'one model call per request (no dynamic batching)', default: true }),
  maxBodyMb: option(positiveNumber(), { value: 'n', help: 'largest request body in MiB (default: room for a full JSON batch)' }),
  threads: option(integerIn({ min: 1, max: 256 }), { value: 'n', help: 'onnxruntime threads per operator (default: all cores)' }),
});

/** Options of {@link serveModels}. */
export interface ServeOptions {
  /** TCP port; 0 picks a free one. 8080 unless given. */
  port?: number;
  /** Address to listen on; `127.0.0.1` (this machine only) unless given. */
  host?: string;
  /** Most items in one request, and in one model call of dynamic batching. */
  maxBatch?: number;
  /** Merge concurrent requests into one model call (dynamic batching); on unless `false`. */
  batching?: boolean;
  /** Longest a request waits for others to join its model call, in ms. */
  maxDelayMs?: number;
  /** Most requests waiting per ONNX file before requests get 503. */
  maxQueue?: number;
  /** Largest request body in bytes. */
  bodyLimit?: number;
  /** onnxruntime threads per operator. */
  threads?: number;
  /** Prints a line. */
  log?: (line: string) => void;
}

/** A running server: its address, models, and how to stop it. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The fastify instance. */
  server: FastifyInstance;
  /** The models it serves. */
  models: ServedModel[];
  /** Stops listening and frees the models. */
  close(): Promise<void>;
}

/**
 * Loads ONNX files (or directories of them), starts the HTTP server of
 * {@link createServer} on them, and returns once it is listening.
 *
 * @param paths - `.onnx` files or directories of them.
 * @param options - Port, host, limits, onnxruntime threads and logger; all optional.
 */
export async function serveModels(paths: readonly string[], options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const models = await loadServedModels(paths, { threads: options.threads });
  let server: FastifyInstance | undefined;
  try {
    server = await createServer({
      models,
      maxBatch: options.maxBatch,
      bodyLimit: options.bodyLimit,
      batching: options.batching,
      maxDelayMs: options.maxDelayMs,
      maxQueue: options.maxQueue,
    });
    const address = await server.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
    const url = address.replace('[::1]', 'localhost');
    for (const model of models) log(`${model.name}: ${Object.keys(model.parts).join(', ')} → ${model.actions.map((a) => `POST ${url}/v1/models/${model.name}/${a}`).join(', ')}`);
    const v2Models = [...v2Endpoints(models).keys()];
    log(`Open Inference Protocol (KServe V2): POST ${url}/v2/models/<model>/infer for ${v2Models.join(', ')}; GET ${url}/v2/health/ready; Prometheus metrics: GET ${url}/metrics`);
    log(`serving ${models.length} model${models.length > 1 ? 's' : ''} at ${url} (GET /health, GET /v1/models); Ctrl-C stops`);
    const running = server;
    return {
      url,
      server: running,
      models,
      async close() {
        await running.close();
        await Promise.all(models.map((m) => m.close()));
      },
    };
  } catch (error) {
    await server?.close();
    await Promise.all(models.map((m) => m.close()));
    throw error;
  }
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * Makes the `ae serve` command. It serves until `stopped` resolves (by
 * default on SIGINT or SIGTERM), then closes the server and the models.
 *
 * @param stopped - Called once the server listens; resolves with the reason to stop.
 */
export function createServeCommand(stopped: () => Promise<string> = untilStopped): PluginCommand<typeof serveOptions.shape> {
  return pluginCommand({
    name: 'serve',
    description: 'serve ONNX autoencoders over HTTP (reconstruct, encode, decode, score; Open Inference Protocol; metrics)',
    arguments: [{ name: 'models...', description: 'ONNX files or directories; model.onnx, model.encoder.onnx and model.decoder.onnx serve as one model', required: true }],
    options: serveOptions,
    async run(args, opts, io: CommandIO): Promise<void> {
      const paths = positionals(args);
      if (paths.length === 0) throw new ConfigError('models', 'expected ONNX files or directories');
      const running = await serveModels(paths, {
        port: opts.port,
        host: opts.host,
        maxBatch: opts.maxBatch,
        batching: opts.batching,
        maxDelayMs: opts.maxDelayMs,
        maxQueue: opts.maxQueue,
        bodyLimit: opts.maxBodyMb === undefined ? undefined : Math.round(opts.maxBodyMb * 1024 * 1024),
        threads: opts.threads,
        log: io.log,
      });
      try {
        io.log(`${await stopped()}: stopping`);
      } finally {
        await running.close();
      }
    },
  });
}

/** The `ae serve` command, stopped by SIGINT or SIGTERM. */
export const serveCommand = createServeCommand();
