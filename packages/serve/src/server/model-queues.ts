import type { FastifyReply } from 'fastify';
import type { ModelPart } from '@aekit/export-onnx';
import { BatchQueue, QueueFullError, type BatchingOptions } from './batch-queue.js';
import type { ServerMetrics } from './metrics.js';
import type { PartRunner, ServedModel } from './served-model.js';
import type { RunnablePart } from './workers/worker-part.js';

/**
 * One {@link BatchQueue} for each ONNX file a server serves: every route
 * that runs a file (V1 and V2 alike) goes through that file's queue, so
 * requests to `/v1/models/conv/reconstruct` and `/v2/models/conv/infer`
 * share model calls.
 */
export class ModelQueues {
  private readonly queues = new Map<RunnablePart, { queue: BatchQueue; label: string }>();

  /**
   * @param models - The served models; a queue is made for each of their parts.
   * @param options - Batching limits shared by every queue.
   * @param metrics - Where queues report batch sizes, depth and rejections.
   */
  constructor(
    models: readonly ServedModel[],
    readonly options: BatchingOptions,
    private readonly metrics?: ServerMetrics,
  ) {
    for (const served of models) {
      for (const [name, part] of Object.entries(served.parts) as [ModelPart, RunnablePart][]) {
        const label = name === 'full' ? served.name : `${served.name}.${name}`;
        const size = part.file.itemShape.reduce((a, b) => a * b, 1);
        const queue = new BatchQueue((data, count) => part.run(data, count), size, options, metrics?.observer(label));
        this.queues.set(part, { queue, label });
      }
    }
  }

  /** Runs a part through its queue; the runner to give {@link ServedModel.withRunner}. */
  readonly run: PartRunner = async (part, data, count) => {
    const entry = this.queues.get(part);
    if (!entry) return part.run(data, count);
    try {
      return await entry.queue.submit(data, count);
    } catch (error) {
      if (error instanceof QueueFullError) this.metrics?.rejected(entry.label);
      throw error;
    }
  };

  /**
   * Whether a request to `served` would be refused now because one of its queues is full.
   *
   * @param served - The model the request is for.
   */
  full(served: ServedModel): boolean {
    return Object.values(served.parts).some((part) => this.queues.get(part)?.queue.full === true);
  }

  /**
   * Checks a request to `served` before its body is read: when one of the
   * model's queues is full, answers 503 at once (and counts it), so a flood
   * of requests cannot pile up bodies in memory.
   *
   * @param served - The model the request is for; undefined (never refused) when no model has the requested name.
   * @param reply - The request's reply, sent the 503 when it is refused.
   * @returns Whether the request was refused.
   */
  refuseWhenFull(served: ServedModel | undefined, reply: FastifyReply): boolean {
    if (!served || !this.full(served)) return false;
    this.metrics?.rejected(served.name);
    sendQueueFull(reply, new QueueFullError(this.options.maxQueue));
    return true;
  }
}

/** Seconds a refused client is told to wait before retrying. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * The answer to a request refused by a full queue: 503, `Retry-After`, and the error body.
 *
 * @param reply - The reply of the refused request.
 * @param error - The refusal; its message is the body's `error`.
 */
export function sendQueueFull(reply: FastifyReply, error: QueueFullError): FastifyReply {
  return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ error: error.message });
}
