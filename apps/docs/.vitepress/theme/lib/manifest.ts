// What the demo models are and how well they did, from models/manifest.json
// (written by scripts/train-demo-models.mjs next to the models).
import { withBase } from 'vitepress';

/** One demo model's line in the manifest. */
export interface DemoModelInfo {
  family: string;
  config: Record<string, unknown>;
  /** The noise it was trained on: one kind, or `mixed` (a random kind and strength each batch). */
  noise: { type: string; factor?: number; amount?: number; kinds?: string[]; strengths?: [number, number] } | null;
  /** For a denoiser: per noise kind, the smallest strength from which it improves PSNR at every step up to 1 (null: at none). */
  improves?: Record<string, { from: number | null }>;
  epochs: number;
  trainingImages: number;
  testImages: number;
  testLoss: number;
}

let manifest: Promise<Record<string, DemoModelInfo>> | undefined;

/** The manifest entry of a demo model (`dense`, `denoise`, `vae`). */
export async function demoModelInfo(key: string): Promise<DemoModelInfo | undefined> {
  manifest ??= fetch(withBase('/models/manifest.json'))
    .then((r) => (r.ok ? r.json() : { models: {} }))
    .then((json: { models: Record<string, DemoModelInfo> }) => json.models);
  return (await manifest)[key];
}

/** One line about a demo model, e.g. "`dense` {latentDim: 32}, 5 epochs on 54,000 digits; test loss 0.0921". */
export function describeModel(info: DemoModelInfo): string {
  const config = Object.entries(info.config)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(', ');
  const noise = !info.noise
    ? ''
    : info.noise.type === 'mixed'
      ? `, with ${info.noise.kinds?.join(', ')} noise of strengths ${info.noise.strengths?.join(' to ')} (a random one each batch)`
      : `, with ${info.noise.type} noise ${info.noise.factor ?? info.noise.amount}`;
  return (
    `Model: ${info.family} (${config}), trained ${info.epochs} epoch${info.epochs === 1 ? "" : "s"} on ${info.trainingImages.toLocaleString('en')} MNIST digits${noise}; ` +
    `test loss ${info.testLoss.toFixed(4)} on ${info.testImages.toLocaleString('en')} test digits.`
  );
}
