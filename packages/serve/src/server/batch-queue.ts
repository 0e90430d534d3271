import { AeError } from '@aekit/core';
import type { RunOutput } from '@aekit/export-onnx';

/** How a {@link BatchQueue} merges requests. */
export interface BatchingOptions {
  /** Most items in one model call (and so in one request). */
  maxBatch: number;
  /**
   * Longest a request waits for others to join its model call, in
   * milliseconds. 0 still merges the requests that queued up while the
   * model was busy, without ever holding one back.
   */
  maxDelayMs: number;
  /** Most requests waiting; a request beyond that is refused at once. */
  maxQueue: number;
  /** Merge requests into one model call; `false` runs them one call each (same queue, same limits). */
  merge: boolean;
}

/** What a queue reports as it works, e.g. to Prometheus metrics. */
export interface BatchObserver {
  /**
   * A model call of `items` items from `requests` requests started.
   *
   * @param items - Items in the model call, summed over the merged requests.
   * @param requests - Requests merged into the call.
   */
  batch(items: number, requests: number): void;
  /**
   * The number of waiting requests changed.
   *
   * @param waiting - Requests now waiting for a model call (not counting the call in progress).
   */
  depth(waiting: number): void;
}

/**
 * Runs one model call on a batch: `count` items flat in `data`; outputs batch first.
 *
 * @param data - The items back to back, row-major: `count` times the values of one item.
 * @param count - Number of items in `data`.
 */
export type BatchRunner = (data: Float32Array, count: number) => Promise<Record<string, RunOutput>>;

/**
 * The queue is full: the request was not accepted. The server answers
 * `503 Service Unavailable` with `Retry-After`.
 */
export class QueueFullError extends AeError {
  /** @param waiting - The requests already waiting (the queue's limit). */
  constructor(readonly waiting: number) {
    super('overloaded', `the server is busy: ${waiting} requests are already waiting for this model; retry later`);
    this.name = 'QueueFullError';
  }
}

interface Pending {
  data: Float32Array;
  count: number;
  arrived: number;
  resolve(outputs: Record<string, RunOutput>): void;
  reject(error: unknown): void;
}

/**
 * Dynamic batching for one model, as Triton's dynamic batcher does it: a
 * bounded FIFO queue of requests in front of the model; one model call at
 * a time takes as many waiting requests as fit in `maxBatch` items,
 * concatenated along the batch dimension, and each request gets its own
 * rows of every output back. A call starts as soon as the model is free
 * and either a full batch is waiting or the oldest request has waited
 * `maxDelayMs`. Requests never reorder, and a request never waits behind
 * more than `maxQueue` others: beyond that it is refused with
 * {@link QueueFullError}, so memory stays bounded however many clients
 * send at once.
 */
export class BatchQueue {
  private readonly waiting: Pending[] = [];
  private waitingItems = 0;
  private busy = false;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param run - The model call.
   * @param itemSize - Values in one item.
   * @param options - Limits and delay.
   * @param observer - Told about batches and queue depth.
   */
  constructor(
    private readonly run: BatchRunner,
    private readonly itemSize: number,
    readonly options: BatchingOptions,
    private readonly observer?: BatchObserver,
  ) {}

  /** Requests waiting for a model call (not counting the call in progress). */
  get depth(): number {
    return this.waiting.length;
  }

  /** Whether a new request would be refused now. */
  get full(): boolean {
    return this.waiting.length >= this.options.maxQueue;
  }

  /**
   * Queues `count` items (flat in `data`) for the next model call.
   *
   * @param data - The request's items back to back, row-major.
   * @param count - Number of items in `data`; at most `maxBatch`.
   * @returns This request's rows of every output, batch first.
   * @throws QueueFullError (as a rejection) when `maxQueue` requests already wait.
   */
  submit(data: Float32Array, count: number): Promise<Record<string, RunOutput>> {
    if (count > this.options.maxBatch) {
      return Promise.reject(new AeError('serve', `a batch of ${count} items is more than the limit of ${this.options.maxBatch}`));
    }
    if (this.full) return Promise.reject(new QueueFullError(this.waiting.length));
    return new Promise((resolve, reject) => {
      this.waiting.push({ data, count, arrived: Date.now(), resolve, reject });
      this.waitingItems += count;
      this.observer?.depth(this.waiting.length);
      this.schedule();
    });
  }

  /** Starts a call now if one is due, or sets the timer for when it will be. */
  private schedule(): void {
    if (this.busy || this.waiting.length === 0) return;
    const { maxBatch, maxDelayMs, merge } = this.options;
    const due = this.waiting[0].arrived + maxDelayMs - Date.now();
    if (!merge || this.waitingItems >= maxBatch || due <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.dispatch();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, due);
    }
  }

  private async dispatch(): Promise<void> {
    const taken: Pending[] = [];
    let items = 0;
    while (this.waiting.length > 0 && (taken.length === 0 || (this.options.merge && items + this.waiting[0].count <= this.options.maxBatch))) {
      const next = this.waiting.shift()!;
      taken.push(next);
      items += next.count;
    }
    this.waitingItems -= items;
    this.observer?.depth(this.waiting.length);
    this.observer?.batch(items, taken.length);
    this.busy = true;
    try {
      const outputs = await this.run(taken.length === 1 ? taken[0].data : concat(taken, items * this.itemSize), items);
      let row = 0;
      for (const request of taken) {
        request.resolve(taken.length === 1 ? outputs : sliceRows(outputs, row, request.count));
        row += request.count;
      }
    } catch (error) {
      for (const request of taken) request.reject(error);
    } finally {
      this.busy = false;
      this.schedule();
    }
  }
}

function concat(requests: readonly Pending[], length: number): Float32Array {
  const data = new Float32Array(length);
  let offset = 0;
  for (const { data: part } of requests) {
    data.set(part, offset);
    offset += part.length;
  }
  return data;
}

/** Rows `[start, start + count)` of every output (copies, so one request's answer does not pin the whole batch). */
function sliceRows(outputs: Record<string, RunOutput>, start: number, count: number): Record<string, RunOutput> {
  const rows: Record<string, RunOutput> = {};
  for (const [name, { data, shape }] of Object.entries(outputs)) {
    const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
    rows[name] = { data: data.slice(start * rowSize, (start + count) * rowSize), shape: [count, ...shape.slice(1)] };
  }
  return rows;
}
