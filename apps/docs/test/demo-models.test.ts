// The demo pages describe the shipped models as public/models/manifest.json
// (written by scripts/train-demo-models.mjs beside them) records them, so
// that the page's prose and the model line the demo prints under itself
// agree; and the measurements the script records with them hold what the
// pages promise: the denoiser improves PSNR at every strength its page
// offers, and the latent page's map draws all ten digits. No browser needed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PsnrStep {
  strength: number;
  noisy: number;
  denoised: number;
}
interface ModelEntry {
  family: string;
  config: Record<string, unknown>;
  epochs: number;
  trainingImages: number;
  noise: unknown;
}
const manifest = JSON.parse(readFileSync(new URL('../public/models/manifest.json', import.meta.url), 'utf8')) as {
  models: Record<string, ModelEntry> & {
    denoise: ModelEntry & { improves: Record<string, { from: number | null; psnr: PsnrStep[] }> };
    vae: ModelEntry & { digits: { gridCells: Record<string, number>; allTen: boolean; atMedianCode: number[] } };
  };
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

describe('what the demo models do', () => {
  it('the denoiser was trained on every kind of noise the page offers and improves PSNR at every strength it offers, gaussian 0.5 among them', () => {
    const { denoise } = manifest.models;
    expect(denoise.noise).toMatchObject({ type: 'mixed', kinds: ['gaussian', 'salt-and-pepper', 'mask'] });
    expect(Object.keys(denoise.improves)).toEqual(['gaussian', 'salt-and-pepper', 'mask']);
    for (const { from, psnr } of Object.values(denoise.improves)) {
      expect(psnr).toHaveLength(20);
      if (from === null) continue; // the page does not offer this kind
      const offered = psnr.filter((step) => step.strength >= from - 1e-9);
      expect(offered.length).toBeGreaterThan(0);
      for (const step of offered) expect(step.denoised).toBeGreaterThan(step.noisy);
    }
    expect(denoise.improves.gaussian.from).toBeLessThanOrEqual(0.5); // the page opens at gaussian 0.5
  });

  it("the latent page's map draws every digit somewhere on its 12 x 12 grid of codes", () => {
    const { digits } = manifest.models.vae;
    expect(Object.keys(digits.gridCells)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const count of Object.values(digits.gridCells)) expect(count).toBeGreaterThan(0);
    expect(Object.values(digits.gridCells).reduce((a, b) => a + b, 0)).toBe(144);
    expect(digits.allTen).toBe(true);
  });
});
