import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ae, editJson, expectOneLineFailure, getAt, setAt, trainedRun, type JsonPath } from './hostile-helpers.js';

// Corrupt files of a run directory, one at a time: each gives one line
// naming the file and what is wrong, and a non-zero exit.

let run: string;
let copyOfRun: (name: string) => Promise<string>;

beforeAll(async () => {
  ({ run, copyOfRun } = await trainedRun('aekit-corrupt-'));
});

type Edit = (json: unknown) => unknown;

/** An edit that puts a value at a path. */
const put = (path: JsonPath, value: unknown): Edit => (json) => setAt(json, path, value);
const shape0: JsonPath = ['weightsManifest', 0, 'weights', 0];
const config: JsonPath = ['userDefinedMetadata', 'aekit', 'config'];

/** The cases of issue #28 that fell through to "unexpected error", and their kind. */
const MODEL_CASES: [string, Edit, RegExp][] = [
  ['model.json holding null', () => null, /model\.json: holds null, not what aekit writes/],
  ['model.json holding a list', () => [], /model\.json: holds a list, not what aekit writes/],
  ['a negative weight shape', put([...shape0, 'shape'], [-16, 8]), /model\.json: weightsManifest\.0\.weights\.0\.shape\.0: Too small/],
  ['a string weight shape', put([...shape0, 'shape'], ['16', 8]), /model\.json: weightsManifest\.0\.weights\.0\.shape\.0: Invalid input: expected number/],
  ['weight shapes of 2^90 values', put([...shape0, 'shape'], [2 ** 30, 2 ** 30, 2 ** 30]), /model\.json: describes weights of [\d.e+]+ bytes, more than any file holds/],
  ['a weight dimension beyond 2^53', put([...shape0, 'shape'], [1e150, 8]), /weightsManifest\.0\.weights\.0\.shape\.0: Too big/],
  ['a huge latentDim', put([...config, 'latentDim'], 1e9), /model\.json: config\.latentDim is 1000000000, more than the \d+ weight values the model holds/],
  ['a latentDim that contradicts the code shape', put([...config, 'latentDim'], 4), /model\.json: config\.latentDim is 4, but the saved code shape is \[8\]/],
  ['a weight dtype aekit never writes', put([...shape0, 'dtype'], 'float64'), /weightsManifest\.0\.weights\.0\.dtype/],
  ['a weights path that is a number', put(['weightsManifest', 0, 'paths'], [42]), /weightsManifest\.0\.paths\.0: Invalid input: expected string/],
  ['a config the family refuses', put([...config, 'nanAfterSteps'], -3), /model\.json: holds a config the 'tiny' family refuses: tiny\.nanAfterSteps: Too small/],
];

const STATE_CASES: [string, Edit, RegExp][] = [
  ['state.json holding null', () => null, /state\.json: holds null, not what aekit writes/],
  ["optimizer class 'constructor'", put(['optimizer', 'className'], 'constructor'), /state\.json: optimizer\.className: must be one of Adam, Adamax, RMSProp, Adagrad, Adadelta, SGD, Momentum, got "constructor"/],
  ["optimizer class '__proto__'", put(['optimizer', 'className'], '__proto__'), /optimizer\.className: must be one of .*, got "__proto__"/],
  ["optimizer class 'Dense' (a layer tfjs can deserialize)", put(['optimizer', 'className'], 'Dense'), /optimizer\.className/],
  ['a negative learning rate in the optimizer', put(['optimizer', 'config', 'learningRate'], -0.5), /state\.json: optimizer\.config\.learningRate: expected a positive number, got -0\.5$/],
  ['a history entry that is null', put(['progress', 'history'], [null]), /state\.json: progress\.history\.0/],
  ['run settings of the wrong type', put(['run', 'family'], null), /state\.json: run\.family: Invalid input: expected string/],
  ['an optimizer slot of another shape', (s) => {
    const [one, three] = [getAt(s, ['optimizer', 'state', 'specs', 1, 'shape']), getAt(s, ['optimizer', 'state', 'specs', 3, 'shape'])];
    setAt(s, ['optimizer', 'state', 'specs', 1, 'shape'], three);
    return setAt(s, ['optimizer', 'state', 'specs', 3, 'shape'], one);
  }, /state\.json: optimizer slot 1 has shape \[8,16\], the model's .* has \[16,8\]/],
];

const METRICS_CASES: [string, Edit, RegExp][] = [
  ['metrics.json holding null', () => null, /metrics\.json: holds null, not what aekit writes/],
  ['a seed that is text', put(['seed'], 'zero'), /metrics\.json: seed: Invalid input: expected number/],
  ['an unknown noise', put(['noise'], { type: 'rain' }), /metrics\.json: noise/],
];

const BASELINE_CASES: [string, Edit, RegExp][] = [
  ['baselines.json holding null', () => null, /baselines\.json: is damaged: features and components must be counts/],
  ['a mean of the wrong size', put(['features'], 3), /baselines\.json: is damaged: its arrays do not have the sizes of 3 features/],
  ['a variance that is text', put(['variances', 0], 'big'), /baselines\.json: is damaged: it holds a value that is not a finite number/],
];

describe('every corrupt input is named', () => {
  it.each(MODEL_CASES)('model.json: %s', async (name, edit, message) => {
    const dir = await copyOfRun(`model-${name.replace(/\W+/g, '-')}`);
    await editJson(join(dir, 'model', 'model.json'), edit);
    expectOneLineFailure(await ae('eval', dir), message);
  });

  it.each(STATE_CASES)('checkpoint: %s', async (name, edit, message) => {
    const dir = await copyOfRun(`state-${name.replace(/\W+/g, '-')}`);
    await editJson(join(dir, 'checkpoint', 'state.json'), edit);
    expectOneLineFailure(await ae('train', '--resume', dir), message);
  });

  it.each(BASELINE_CASES)('baselines.json: %s', async (name, edit, message) => {
    const dir = await copyOfRun(`baselines-${name.replace(/\W+/g, '-')}`);
    await editJson(join(dir, 'baselines.json'), edit);
    expectOneLineFailure(await ae('eval', dir), message);
  });

  it.each(METRICS_CASES)('metrics.json: %s', async (name, edit, message) => {
    const dir = await copyOfRun(`metrics-${name.replace(/\W+/g, '-')}`);
    await editJson(join(dir, 'metrics.json'), edit);
    expectOneLineFailure(await ae('eval', dir), message);
  });

  it('a file given as a run directory is named as a file, not as corrupt JSON', async () => {
    const file = join(run, 'metrics.json');
    for (const argv of [['eval', file], ['score', file], ['train', '--resume', file]]) {
      expectOneLineFailure(await ae(...argv), /metrics\.json: is a file, not a run directory/);
    }
  });
});

/** Every leaf of a JSON value, as a path of keys. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [path, ...entries.flatMap(([key, v]) => leafPaths(v, [...path, key]))];
}

/** Values a damaged or hostile file holds where aekit wrote something else. */
const hostileValue = fc.oneof(
  fc.constantFrom(null, -1, 0, 1e39, 1e308, -1e308, 1e9, 2 ** 53, '', 'constructor', '__proto__', '../../../../dev/zero', [], {}, [-1], ['16'], true),
  fc.jsonValue({ maxDepth: 2 }),
);

/** One way to damage a file: its bytes, or one of its JSON values. */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), pick: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }), byte: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('whole' as const), value: hostileValue }),
);

type Damage = typeof damage extends fc.Arbitrary<infer T> ? T : never;

async function applyDamage(file: string, how: Damage): Promise<void> {
  const bytes = await readFile(file);
  if (how.kind === 'truncate') return truncate(file, Math.floor(bytes.length * how.at));
  if (how.kind === 'flip') {
    const i = Math.floor(bytes.length * how.at);
    bytes[i] ^= how.byte;
    return writeFile(file, bytes);
  }
  if (how.kind === 'whole') return writeFile(file, JSON.stringify(how.value) ?? 'undefined');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    // A binary file: write the value's JSON over its first bytes.
    const text = Buffer.from(JSON.stringify(how.value) ?? '');
    text.copy(bytes, 0, 0, Math.min(text.length, bytes.length));
    return writeFile(file, bytes);
  }
  const paths = leafPaths(json);
  return writeFile(file, JSON.stringify(setAt(json, paths[how.pick % paths.length], how.value)));
}

describe('fuzzed corrupt files (fast-check)', () => {
  // Each case copies the run, damages one file and runs the command that reads it.
  const property = (files: (dir: string) => Promise<string[]>, argv: (dir: string) => string[], runs: number) =>
    fc.assert(
      fc.asyncProperty(fc.nat(), damage, async (which, how) => {
        const dir = await copyOfRun('fuzz');
        const candidates = await files(dir);
        const file = candidates[which % candidates.length];
        await applyDamage(file, how);
        const result = await ae(...argv(dir));
        if (result.code === 0) return; // the damage left a valid file (e.g. a value set to what it was)
        expectOneLineFailure(result);
        // The line names the file that was damaged, or a file it names.
        expect(result.err).toMatch(/(model\.json|metrics\.json|state\.json|weights-[0-9a-f]+\.bin|optimizer-[0-9a-f]+\.bin|run directory)/);
      }),
      { numRuns: runs, seed: 28 },
    );

  it('model.json, metrics.json and the model weights, read by ae eval', async () => {
    const modelFiles = async (dir: string) => [
      join(dir, 'model', 'model.json'),
      join(dir, 'metrics.json'),
      ...(await readdir(join(dir, 'model'))).filter((n) => n.endsWith('.bin')).map((n) => join(dir, 'model', n)),
    ];
    await property(modelFiles, (dir) => ['eval', dir], 60);
  });

  it('the checkpoint: state.json, weights and optimizer state, read by ae train --resume', async () => {
    const checkpointFiles = async (dir: string) => (await readdir(join(dir, 'checkpoint'))).map((n) => join(dir, 'checkpoint', n));
    await property(checkpointFiles, (dir) => ['train', '--resume', dir, '--epochs', '2'], 40);
  });
});
