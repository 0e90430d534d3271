import { ConfigError, parseCommandOptions, z, type CommandIO, type PluginCommand } from '@aekit/core';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../server/create-server.js';
import { DEFAULT_LIMITS, type ServerLimits } from '../server/limits.js';
import { loadServedModels, type ServedModel } from '../server/served-model.js';
import { v2Endpoints } from '../server/v2/endpoints.js';
import { intOption, numberOption, positionals, stringOption, type CommandOptions } from '@aekit/export-onnx';

/** The options of `ae serve-onnx` as commander hands them over, checked and converted; errors name the flag. */
const optionsSchema = z.object({
  port: intOption({ min: 0, max: 65535, fallback: 8080 }),
  host: stringOption(),
  maxBatch: intOption({ min: 1, fallback: 256 }),
  maxDelayMs: intOption({ min: 0, max: 60_000, fallback: 0 }),
  maxQueue: intOption({ min: 1, fallback: 128 }),
  maxBodyMb: numberOption(),
  maxReceivingMb: numberOption(),
  maxResponseBytes: intOption({ min: 1, fallback: DEFAULT_LIMITS.maxResponseBytes }),
  headerTimeoutMs: intOption({ min: 1, fallback: DEFAULT_LIMITS.headersTimeoutMs }),
  bodyTimeoutMs: intOption({ min: 1, fallback: DEFAULT_LIMITS.bodyTimeoutMs }),
  idleTimeoutMs: intOption({ min: 1, fallback: DEFAULT_LIMITS.idleTimeoutMs }),
  threads: intOption({ min: 1, max: 256 }),
  codecThreads: intOption({ min: 0, max: 64 }),
});

/** Options of {@link serveModels}: where to listen, the limits of {@link createServer}, and how models run. */
export interface ServeOptions extends Partial<ServerLimits> {
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
  /** onnxruntime threads per operator. */
  threads?: number;
  /** Worker threads that decode large bodies and encode large JSON answers (see `createServer`). */
  codecThreads?: number;
  /** Serve ONNX files without the checksum `ae export` writes (files from other tools); refused unless set. */
  allowUnsigned?: boolean;
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
  const { port, host, log: _log, threads, allowUnsigned, ...serverOptions } = options;
  const models = await loadServedModels(paths, { threads, allowUnsigned });
  let server: FastifyInstance | undefined;
  try {
    server = await createServer({ ...serverOptions, models });
    const address = await server.listen({ port: port ?? 8080, host: host ?? '127.0.0.1' });
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

function mebibytes(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 2 ** 20);
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
export function createServeCommand(stopped: () => Promise<string> = untilStopped): PluginCommand {
  return {
    name: 'serve',
    description: 'serve ONNX autoencoders over HTTP (reconstruct, encode, decode, score; Open Inference Protocol; metrics)',
    arguments: [{ name: 'models...', description: 'ONNX files or directories; model.onnx, model.encoder.onnx and model.decoder.onnx serve as one model', required: true }],
    options: [
      { flags: '--port <n>', description: 'TCP port (0 picks a free one)', default: '8080' },
      { flags: '--host <address>', description: 'address to listen on', default: '127.0.0.1' },
      { flags: '--max-batch <n>', description: 'most items in one request, and in one model call when batching', default: '256' },
      { flags: '--max-delay-ms <ms>', description: 'longest a request waits for others to join its model call (0: merge only what is already waiting)', default: '0' },
      { flags: '--max-queue <n>', description: 'most requests waiting per ONNX file; beyond that 503 with Retry-After', default: '128' },
      { flags: '--no-batching', description: 'one model call per request (no dynamic batching)' },
      { flags: '--max-body-mb <n>', description: 'largest request body in MiB (default: room for a full JSON batch)' },
      { flags: '--max-receiving-mb <n>', description: 'most MiB of request bodies held at once, over all connections; beyond that 503 (default: four full bodies, at least 64)' },
      { flags: '--max-response-bytes <n>', description: 'largest answer in bytes, computed from the request before any work; beyond that 413', default: String(DEFAULT_LIMITS.maxResponseBytes) },
      { flags: '--header-timeout-ms <ms>', description: 'time a client has to send the request headers; then 408', default: String(DEFAULT_LIMITS.headersTimeoutMs) },
      { flags: '--body-timeout-ms <ms>', description: 'time a client has to send the whole request; then 408', default: String(DEFAULT_LIMITS.bodyTimeoutMs) },
      { flags: '--idle-timeout-ms <ms>', description: 'longest silence while a request arrives (then 408), and longest idle keep-alive connection', default: String(DEFAULT_LIMITS.idleTimeoutMs) },
      { flags: '--threads <n>', description: 'onnxruntime threads per operator (default: all cores)' },
      { flags: '--codec-threads <n>', description: 'threads that decode large bodies and encode large JSON answers (0: on the event loop; default: 1, or 2 on 4+ cores)' },
      { flags: '--allow-unsigned', description: 'serve ONNX files without the checksum ae export writes (files from other tools)' },
    ],
    async run(args: string[], options: CommandOptions, io: CommandIO): Promise<void> {
      const paths = positionals(args);
      if (paths.length === 0) throw new ConfigError('models', 'expected ONNX files or directories');
      const opts = parseCommandOptions(optionsSchema, options, 'flag');
      const running = await serveModels(paths, {
        port: opts.port,
        host: opts.host,
        maxBatch: opts.maxBatch,
        batching: options.batching !== false,
        maxDelayMs: opts.maxDelayMs,
        maxQueue: opts.maxQueue,
        bodyLimit: mebibytes(opts.maxBodyMb),
        maxReceivingBytes: mebibytes(opts.maxReceivingMb),
        maxResponseBytes: opts.maxResponseBytes,
        headersTimeoutMs: opts.headerTimeoutMs,
        bodyTimeoutMs: opts.bodyTimeoutMs,
        idleTimeoutMs: opts.idleTimeoutMs,
        threads: opts.threads,
        codecThreads: opts.codecThreads,
        allowUnsigned: options.allowUnsigned === true,
        log: io.log,
      });
      try {
        io.log(`${await stopped()}: stopping`);
      } finally {
        await running.close();
      }
    },
  };
}

/** The `ae serve` command, stopped by SIGINT or SIGTERM. */
export const serveCommand: PluginCommand = createServeCommand();
