// Entry point of a gradient worker thread: builds the same model as the
// trainer (from the family's plugin module), then answers step requests
// with the loss and gradients of its share of each batch.
import { parentPort, workerData } from 'node:worker_threads';
import { tf } from '../../tf.js';
import { registry } from '../../registry.js';
import { useBackend } from '../../backend/backends.js';
import { useKernelModules } from '../../backend/kernel-packages.js';
import type { AutoencoderPlugin } from '../../plugin.js';
import { batchGradients, disposeGradients, tidyGradients } from '../gradients.js';
import type { ReadyMessage, StepReply, StepRequest, WorkerInit } from './messages.js';

const port = parentPort!;
const init = workerData as WorkerInit;

async function build() {
  await useKernelModules(init.kernelModules);
  await useBackend(init.backend);
  const imported = (await import(init.module)) as { plugin?: AutoencoderPlugin };
  if (!imported.plugin) throw new Error(`module ${init.module} exports no 'plugin'`);
  registry.use(imported.plugin);
  const autoencoder = registry.create(init.family, init.config, { seed: 0, dataShape: init.inputShape });
  const shapes = autoencoder.trainableVariables.map((v) => v.shape);
  if (JSON.stringify(shapes) !== JSON.stringify(init.variableShapes)) {
    throw new Error(`the worker built variables of shapes ${JSON.stringify(shapes)}, the trainer has ${JSON.stringify(init.variableShapes)}`);
  }
  return autoencoder;
}

function step(autoencoder: Awaited<ReturnType<typeof build>>, request: StepRequest): StepReply {
  const shape = [request.count, ...autoencoder.inputShape];
  const variables = autoencoder.trainableVariables;
  tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(request.weights[i]!, v.shape))));
  const result = tidyGradients(() => {
    const target = tf.tensor(request.target, shape);
    const input = request.input ? tf.tensor(request.input, shape) : target;
    return batchGradients(autoencoder, input, target, request);
  });
  const names = Object.keys(result.terms);
  const reply: StepReply = {
    id: request.id,
    total: result.total.dataSync()[0]!,
    terms: Object.fromEntries(names.map((n) => [n, result.terms[n]!.dataSync()[0]!])),
    grads: result.grads.map((g) => (g ? (g.dataSync() as Float32Array) : null)),
  };
  disposeGradients(result);
  return reply;
}

try {
  const autoencoder = await build();
  port.on('message', (request: StepRequest) => {
    let reply: StepReply;
    try {
      reply = step(autoencoder, request);
    } catch (error) {
      reply = { id: request.id, error: (error as Error).stack ?? String(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies ReadyMessage);
} catch (error) {
  port.postMessage({ ready: false, error: (error as Error).message } satisfies ReadyMessage);
}
