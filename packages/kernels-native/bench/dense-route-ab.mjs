// What running each Dense layer as one kernel (AekitDense, AekitDenseGrad)
// gains in a training step, measured in one process: the family trains on
// `backend` for a few steps with the two kernels registered (tfjs-layers'
// Dense layers then take them), then with them unregistered (tfjs' own Dense:
// product, bias and activation kernels, un-fused under the tape), in turns,
// and prints the median ms a step of each and their ratio. With
// --loss-samples, also trains a fresh model of each way on that many MNIST
// samples and prints both test losses (same seed, same data).
//
//   node packages/kernels-native/bench/dense-route-ab.mjs [--backend native|wasm] [--families dense,deep,vae] [--rounds 9] [--steps 10] [--loss-samples 0]
import { parseArgs } from 'node:util';
import { evaluate, fit, registry, tf, useBackend } from '@aekit/core';
import { DENSE, DENSE_GRAD } from '@aekit/core/kernels';
import { loadMnist } from '@aekit/data-mnist';
import { registerWasmKernels } from '@aekit/kernels-wasm';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    families: { type: 'string', default: 'dense,deep,vae' },
    rounds: { type: 'string', default: '9' },
    steps: { type: 'string', default: '10' },
    'loss-samples': { type: 'string', default: '0' },
  },
});
const [rounds, steps, lossSamples] = [Number(args.rounds), Number(args.steps), Number(args['loss-samples'])];
tf.enableProdMode();
registerWasmKernels();
// @aekit/cli imports the native package (the `native` backend) and the families.
const { loadPlugins } = await import('@aekit/cli');
await loadPlugins();
await useBackend(args.backend);
// Both backends are tfjs' wasm backend underneath: the kernels are registered under its name.
const kernels = [DENSE, DENSE_GRAD].map((name) => tf.getKernel(name, 'wasm'));
if (kernels.some((k) => !k)) throw new Error('AekitDense is not registered on wasm');
const route = (on) => {
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    if (on) tf.registerKernel(config);
  }
};

const batchSize = 256;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const { train } = await loadMnist({ trainLimit: batchSize * steps });
const lossData = lossSamples > 0 ? await loadMnist({ trainLimit: Math.min(lossSamples, 60000) }) : undefined;
for (const family of args.families.split(',')) {
  const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
  const data = train.reshape(ae.inputShape);
  const stepMs = (on) => {
    route(on);
    return fit(ae, data, { epochs: 1, batchSize, workers: 1, seed: 0 }).then((r) => (r.seconds * 1000) / steps);
  };
  await stepMs(true);
  await stepMs(false);
  const times = { oneKernel: [], tfjs: [] };
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so that neither always follows the other.
    const order = round % 2 === 0 ? [true, false] : [false, true];
    for (const on of order) times[on ? 'oneKernel' : 'tfjs'].push(await stepMs(on));
  }
  const ratios = times.oneKernel.map((t, i) => times.tfjs[i] / t);
  const result = { family, backend: args.backend, rounds, stepsPerRound: steps, msPerStepOneKernel: median(times.oneKernel), msPerStepTfjs: median(times.tfjs), speedup: median(ratios) };
  if (lossData) {
    const testLoss = async (on) => {
      route(on);
      const fresh = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
      await fit(fresh, lossData.train.reshape(fresh.inputShape), { epochs: 1, batchSize, workers: 1, seed: 0 });
      return (await evaluate(fresh, lossData.test.reshape(fresh.inputShape), { batchSize: 500 })).loss;
    };
    Object.assign(result, { lossSamples, testLossOneKernel: await testLoss(true), testLossTfjs: await testLoss(false) });
  }
  route(true);
  console.log(JSON.stringify(result));
}
