// Starts TensorFlow.js for the demos on the best backend this browser has:
// webgl, else wasm (its .wasm files are served from /tfjs-wasm/), else cpu.
// The library is imported here, on the client only, through @aekit/core's
// main entry (browser-safe), so the demos share one tfjs engine with aekit.
import { withBase } from 'vitepress';
import type * as AekitCore from '@aekit/core';

type Core = typeof AekitCore;

/** The started library and what it runs on. */
export interface Runtime {
  core: Core;
  tf: Core['tf'];
  /** The backend the demos run on: `webgl`, `wasm` or `cpu`. */
  backend: string;
  /** Why a faster backend was skipped, one line per backend tried; empty when webgl runs. */
  fallbacks: string[];
  /** The backend the address asked for with `?backend=`, when it names one; no other is then tried. */
  requested?: string;
}

/** Backends in the order they are tried; `?backend=cpu` in the address picks one. */
export const BACKEND_ORDER = ['webgl', 'wasm', 'cpu'] as const;

let started: Promise<Runtime> | undefined;

/** Starts tfjs once per page load and returns it; later calls share the first start. */
export function startRuntime(): Promise<Runtime> {
  started ??= start();
  return started;
}

async function start(): Promise<Runtime> {
  const core = await import('@aekit/core');
  const asked = new URLSearchParams(window.location.search).get('backend');
  const requested = asked && (BACKEND_ORDER as readonly string[]).includes(asked) ? asked : undefined;
  const order = requested ? [requested] : [...BACKEND_ORDER];
  const fallbacks: string[] = [];
  for (const name of order) {
    try {
      if (name === 'webgl' && !hasWebGl()) throw new Error('this browser has no WebGL');
      if (name === 'wasm') {
        const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
        setWasmPaths(withBase('/tfjs-wasm/'));
        // aekit's kernels (the filter gradient the backend lacks, SIMD heap loops), as in Node.
        const { registerWasmKernels } = await import('@aekit/kernels-wasm');
        registerWasmKernels();
      }
      const backend = await core.useBackend(name);
      return { core, tf: core.tf, backend, fallbacks, requested };
    } catch (error) {
      fallbacks.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${fallbacks.join('; ')})`);
}

function hasWebGl(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/** Loads one of the pretrained demo models shipped under /models/. */
export async function loadDemoModel(runtime: Runtime, name: string) {
  return runtime.tf.loadLayersModel(withBase(`/models/${name}/model.json`));
}
