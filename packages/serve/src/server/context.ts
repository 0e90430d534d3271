import type { BodyBudget } from './body-budget.js';
import type { ServerLimits } from './limits.js';
import type { ServerMetrics } from './metrics.js';
import type { ModelQueues } from './model-queues.js';
import type { ServedModel } from './served-model.js';
import type { CodecPool } from './workers/codec-pool.js';

/** What the routes of one server share. */
export interface ServerContext {
  /** The served models by name, each running its parts through the batch queues. */
  models: ReadonlyMap<string, ServedModel>;
  /** The limits every request is checked against. */
  limits: ServerLimits;
  /** The batch queues, to refuse a request before its body is read when its model's queue is full. */
  queues: ModelQueues;
  /** Decodes large bodies and encodes large answers off the event loop. */
  codec: CodecPool;
  /** The bytes of request bodies held. */
  bodies: BodyBudget;
  /** The Prometheus metrics. */
  metrics: ServerMetrics;
  /** Bodies of this many bytes or more are decoded on a codec thread. */
  largeBodyBytes: number;
  /** JSON answers of this many values or more are encoded on a codec thread. */
  largeAnswerValues: number;
}
