import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BatchObserver } from './batch-queue.js';

/** Latency buckets in seconds: sub-millisecond model calls up to multi-second overload. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Batch size buckets: powers of two up to the largest `--max-batch` anyone is likely to set. */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * The server's Prometheus metrics, in a registry of its own (so that two
 * servers in one process, as in tests, do not share counters):
 *
 * - `ae_http_requests_total{method, route, status}` — answered requests;
 * - `ae_http_request_duration_seconds{method, route, status}` — their latency;
 * - `ae_batch_size{model}` — items per model call; `ae_batch_requests{model}` — requests merged into one call;
 * - `ae_queue_depth{model}` — requests waiting for a model call;
 * - `ae_queue_rejections_total{model}` — requests refused with 503 because the queue was full;
 * - `ae_request_bodies_bytes` — bytes of request bodies the server holds (capped by `--max-receiving-mb`);
 * - prom-client's default process metrics (resident memory, CPU, event loop lag, heap).
 *
 * `route` is the route pattern (`/v2/models/:name/infer`), never the raw URL, so the
 * number of series stays bounded whatever clients send.
 */
export class ServerMetrics {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'ae_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'ae_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'ae_batch_size',
    help: 'Items in one model call (several requests merged by dynamic batching)',
    labelNames: ['model'] as const,
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  private readonly batchRequests = new Histogram({
    name: 'ae_batch_requests',
    help: 'Requests merged into one model call',
    labelNames: ['model'] as const,
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  private readonly queueDepth = new Gauge({
    name: 'ae_queue_depth',
    help: 'Requests waiting for a model call',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  private readonly rejections = new Counter({
    name: 'ae_queue_rejections_total',
    help: 'Requests refused with 503 because the queue was full',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Reports the bytes of request bodies held, read when `/metrics` is rendered.
   *
   * @param bytes - Gives the current count.
   */
  watchBodies(bytes: () => number): void {
    new Gauge({
      name: 'ae_request_bodies_bytes',
      help: 'Bytes of request bodies the server holds: being received, or received and not yet answered',
      registers: [this.registry],
      collect() {
        this.set(bytes());
      },
    });
  }

  /**
   * Counts and times every answered request of `app`.
   *
   * @param app - The Fastify server to instrument; a hook is added to it.
   */
  instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      this.requests.inc(labels);
      this.latency.observe(labels, reply.elapsedTime / 1000);
    });
  }

  /**
   * An observer for the batch queue of one model (`model` is its label, e.g. `conv.encoder`).
   *
   * @param model - The queue's label: the model's name, with `.encoder` or `.decoder` for a part.
   */
  observer(model: string): BatchObserver {
    this.queueDepth.set({ model }, 0);
    return {
      batch: (items, requests) => {
        this.batchSize.observe({ model }, items);
        this.batchRequests.observe({ model }, requests);
      },
      depth: (waiting) => this.queueDepth.set({ model }, waiting),
    };
  }

  /**
   * Counts a request refused because the queue of `model` was full.
   *
   * @param model - The label of the model or queue, e.g. `conv` or `conv.encoder`.
   */
  rejected(model: string): void {
    this.rejections.inc({ model });
  }

  /** The metrics in Prometheus' text exposition format, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
