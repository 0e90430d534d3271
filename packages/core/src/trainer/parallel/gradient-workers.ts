import type { Worker } from 'node:worker_threads';
import { tf } from '../../tf.js';
import type { Autoencoder } from '../../autoencoder.js';
import { ConfigError } from '../../errors.js';
import type { FamilyRegistry } from '../../registry.js';
import { deriveSeed } from '../../random.js';
import { activeBackendName } from '../../backend/backends.js';
import { kernelPackages } from '../../backend/kernel-packages.js';
import { batchGradients, disposeGradients, tidyGradients, type BatchGradients, type GradientSettings } from '../gradients.js';
import type { ParallelGradients } from '../parallel-gradients.js';
import type { ReadyMessage, StepReply, StepRequest, WorkerInit } from './messages.js';

/**
 * The worker threads' entry module, beside this one. Named through a
 * constant so that browser bundlers (the docs site bundles core) leave the
 * Node-only `Worker` alone instead of trying to bundle it as a web worker.
 */
const WORKER_ENTRY = './gradient-worker.js';

/** Young-generation size of a worker's JavaScript heap, in MB (see {@link GradientWorkers.start}). */
const WORKER_YOUNG_GENERATION_MB = 4;

/**
 * Data-parallel gradients over Node worker threads. Each batch is split
 * into shares: the calling thread computes the first, each worker one of
 * the others, all at once; the gradients are then averaged, weighted by the
 * share sizes. For losses that are means over examples (all of aekit's
 * reconstruction and KL terms) this is exactly the full batch's gradient;
 * a term computed from batch statistics (the sparse family's mean
 * activation, a masked mean that divides by the real steps of padded
 * sequences) is computed per share instead, the same in expectation.
 *
 * The optimizer stays in the calling thread: workers receive the current
 * weights with every share and return only gradients, so no worker can
 * drift from the model being trained.
 */
export class GradientWorkers implements ParallelGradients {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: StepReply) => void; reject: (error: Error) => void }>();
  private failure?: Error;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: StepReply) => {
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        waiting?.resolve(reply);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (this.pending.size > 0) this.fail(new Error(`a gradient worker exited (code ${code}) during a step`));
      });
    }
  }

  /**
   * Starts `count - 1` worker threads (the calling thread is the first of
   * `count`), each building the autoencoder from its family's plugin module.
   *
   * @param autoencoder - The model being trained.
   * @param count - Threads in all, at least 2.
   * @param registry - Where the autoencoder's family was registered.
   * @throws ConfigError (field `workers`) when the family's plugin does not
   *   say which module it comes from, or a worker fails to start.
   */
  static async start(autoencoder: Autoencoder, count: number, registry: FamilyRegistry): Promise<GradientWorkers> {
    const module = registry.pluginOf(autoencoder.family)?.module;
    if (!module) {
      throw new ConfigError(
        'workers',
        `family '${autoencoder.family}' was not registered through a plugin with a 'module' (set module: import.meta.url in the plugin), so worker threads cannot build it; train with workers: 1`,
      );
    }
    const init: WorkerInit = {
      module,
      family: autoencoder.family,
      config: autoencoder.config,
      inputShape: autoencoder.inputShape,
      // aekit's name (`native`): a kernel package's module registers its provider when imported.
      backend: activeBackendName(),
      kernelModules: kernelPackages().flatMap((kernels) => (kernels.module ? [kernels.module] : [])),
      variableShapes: autoencoder.trainableVariables.map((v) => v.shape),
    };
    const { Worker } = await import('node:worker_threads');
    const entry = new URL(WORKER_ENTRY, import.meta.url);
    // A worker allocates little on its JavaScript heap (messages; tensors live
    // on the wasm heap), so a small young generation costs nothing in speed and
    // kept about 30 MB off the conv family's peak on 2 threads (490 -> 460 MB).
    const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
    const workers = Array.from({ length: count - 1 }, () => new Worker(entry, { workerData: init, resourceLimits }));
    try {
      await Promise.all(workers.map(ready));
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw new ConfigError('workers', `a gradient worker failed to start: ${(error as Error).message}`);
    }
    return new GradientWorkers(workers);
  }

  /** Threads in all, the calling one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * The loss and gradients of a batch, computed in shares on all threads.
   * Same contract as {@link batchGradients}: the caller owns the result.
   */
  async batchGradients(autoencoder: Autoencoder, input: tf.Tensor, target: tf.Tensor, settings: GradientSettings): Promise<BatchGradients> {
    if (this.failure) throw this.failure;
    const n = target.shape[0]!;
    const sizes = shareSizes(n, this.threads);
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const per = target.size / n;
    const variables = autoencoder.trainableVariables;
    const weights = await Promise.all(variables.map((v) => v.data() as Promise<Float32Array>));
    const targetValues = (await target.data()) as Float32Array;
    const inputValues = input === target ? undefined : ((await input.data()) as Float32Array);
    // Send the workers their shares first, so they compute while this thread does its own.
    // (slice, not subarray: a posted view would carry its whole buffer along.)
    const replies = sizes.slice(1).map((count, w) => {
      const from = starts[w + 1]! * per;
      const to = from + count * per;
      return count === 0
        ? undefined
        : this.request(w, {
            weights,
            target: targetValues.slice(from, to),
            input: inputValues?.slice(from, to),
            count,
            lengths: settings.lengths?.slice(starts[w + 1]!, starts[w + 1]! + count),
            epoch: settings.epoch,
            forwardSeed: deriveSeed(settings.forwardSeed, w + 1),
          });
    });
    const own = tidyGradients(() =>
      batchGradients(autoencoder, input.slice(0, sizes[0]), target.slice(0, sizes[0]), { ...settings, lengths: settings.lengths?.subarray(0, sizes[0]) }),
    );
    let parts: Exclude<StepReply, { error: string }>[];
    try {
      parts = (await Promise.all(replies))
        .filter((r): r is StepReply => r !== undefined)
        .map((reply) => {
          if ('error' in reply) throw new Error(`gradient worker: ${reply.error}`);
          return reply;
        });
    } catch (error) {
      disposeGradients(own);
      throw error;
    }
    return combineShares(own, parts, sizes.filter((s) => s > 0).map((s) => s / n), variables);
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private request(worker: number, body: Omit<StepRequest, 'id'>): Promise<StepReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The share's examples were sliced for this worker alone: move them rather than copy.
      const moved = [body.target.buffer, body.input?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      this.workers[worker]!.postMessage({ id, ...body } satisfies StepRequest, moved);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/**
 * The batch's loss and gradients from its shares': each a mean over its
 * examples, weighted by its fraction of the batch. Summed in JavaScript
 * (the variables are small): as tensor ops it took dozens of tiny kernels
 * a step, run while the workers wait. Frees `own`.
 */
function combineShares(
  own: BatchGradients,
  parts: readonly Exclude<StepReply, { error: string }>[],
  weights: readonly number[],
  variables: readonly tf.Variable[],
): BatchGradients {
  const scalar = (mine: tf.Scalar, theirs: number[]) =>
    tf.scalar(theirs.reduce((sum, value, p) => sum + value * weights[p + 1]!, mine.dataSync()[0]! * weights[0]!));
  const result: BatchGradients = {
    total: scalar(own.total, parts.map((p) => p.total)),
    terms: Object.fromEntries(Object.entries(own.terms).map(([name, t]) => [name, scalar(t, parts.map((p) => p.terms[name] ?? 0))])),
    grads: variables.map((variable, i) => {
      const shares = [own.grads[i]?.dataSync() as Float32Array | undefined, ...parts.map((p) => p.grads[i] ?? undefined)];
      if (shares.every((values) => values === undefined)) return null;
      const sum = new Float32Array(variable.size);
      shares.forEach((values, s) => {
        if (values) for (let k = 0; k < sum.length; k++) sum[k]! += values[k]! * weights[s]!;
      });
      return tf.tensor(sum, variable.shape);
    }),
  };
  disposeGradients(own);
  return result;
}

/** Splits `n` examples into `threads` shares as even as can be, the larger ones first. */
export function shareSizes(n: number, threads: number): number[] {
  return Array.from({ length: threads }, (_, i) => Math.floor(n / threads) + (i < n % threads ? 1 : 0));
}

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ReadyMessage) => {
      worker.off('error', reject);
      if (message.ready) resolve();
      else reject(new Error(message.error));
    };
    worker.once('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`exited with code ${code} before it was ready`)));
  });
}
