// The demo pages describe the shipped models as public/models/manifest.json
// (written by scripts/train-demo-models.mjs beside them) records them, so
// that the page's prose and the model line the demo prints under itself
// agree. No browser needed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../public/models/manifest.json', import.meta.url), 'utf8')) as {
  models: Record<string, { family: string; config: Record<string, unknown>; epochs: number; trainingImages: number }>;
};
const page = (name: string) => readFileSync(new URL(`../demos/${name}.md`, import.meta.url), 'utf8');

/** The counts of training digits a page states: "18,000 MNIST training digits", "54,000 MNIST digits"; test digits are not training digits. */
function trainingDigitCounts(markdown: string): number[] {
  return [...markdown.matchAll(/([\d,]+) MNIST (?:training )?digits/g)].map((m) => Number(m[1].replace(/,/g, '')));
}

describe('the demo pages and the shipped models', () => {
  for (const [name, key] of [
    ['denoise', 'denoise'],
    ['latent', 'vae'],
  ] as const) {
    it(`${name}: the page states the number of digits the model trained on, as its model line does`, () => {
      const model = manifest.models[key];
      const counts = trainingDigitCounts(page(name));
      expect(counts.length).toBeGreaterThan(0);
      for (const count of counts) expect(count).toBe(model.trainingImages);
    });
  }

  it('denoise and latent: the page names the model the manifest records', () => {
    const { denoise, vae } = manifest.models;
    expect(page('denoise')).toContain(`the \`${denoise.family}\` family with a ${denoise.config.latentDim}-value code`);
    expect(page('latent')).toContain(`one hidden layer of ${(vae.config.hidden as number[])[0]} units`);
    expect(page('latent')).toContain(`latentDim: ${vae.config.latentDim}`);
  });

  it('reconstruct: the page names the model the manifest records', () => {
    const { dense } = manifest.models;
    expect(page('reconstruct')).toContain(`784 → ${dense.config.latentDim} → 784`);
    expect(page('reconstruct')).toContain(`--epochs ${dense.epochs} `);
  });

  it('the counter-example: a page saying 20,000 digits for a model trained on 18,000 fails the check', () => {
    expect(trainingDigitCounts('trained on 20,000 MNIST digits, 2,000 MNIST test digits')).toEqual([20_000]);
  });
});
