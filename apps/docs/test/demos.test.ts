// End to end, as a visitor uses the site: serves the built site, drives
// Debian's Chromium headless with playwright-core, and checks that every live
// demo runs on the WebGL backend and shows what it promises (and that
// without WebGL a demo says so and falls back). Screenshots go to
// test-results/ for a person to look at.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, serveDirectory } from './site.js';

const dist = fileURLToPath(new URL('../.vitepress/dist', import.meta.url));
const screenshots = fileURLToPath(new URL('../test-results', import.meta.url));
const executablePath = findChromium();
if (!executablePath) {
  console.warn('docs end-to-end test skipped: no Chromium binary (apt-get install chromium, or set CHROMIUM_PATH)');
}

describe.skipIf(!executablePath)('the documentation site in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let site: { url: string; close: () => Promise<void> };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built site in ${dist}: run the docs build first`);
    await mkdir(screenshots, { recursive: true });
    site = await serveDirectory(dist);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(path: string, target: BrowserContext = context): Promise<Page> {
    const page = await target.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
    const response = await page.goto(site.url + path);
    expect(response?.status()).toBe(200);
    return page;
  }

  /** Waits for a demo to start and returns its backend label. */
  async function backendOf(page: Page, demo: string): Promise<string> {
    const label = page.locator(`[data-demo="${demo}"] [data-testid="backend"]`);
    await label.waitFor({ timeout: 60_000 });
    return (await label.getAttribute('data-backend')) ?? '';
  }

  /** Waits until a numeric data attribute reaches at least `min`. */
  async function waitForCount(locator: Locator, attribute: string, min: number): Promise<number> {
    await expect.poll(async () => Number(await locator.getAttribute(attribute)), { timeout: 90_000, interval: 250 }).toBeGreaterThanOrEqual(min);
    return Number(await locator.getAttribute(attribute));
  }

  /** Share of a canvas's pixels brighter than dark grey. */
  function inkShare(canvas: Locator): Promise<number> {
    return canvas.evaluate((element: HTMLCanvasElement) => {
      const data = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 64) lit++;
      return lit / (data.length / 4);
    });
  }

  /** The canvas's pixels, to tell whether it changed. */
  function pixels(canvas: Locator): Promise<string> {
    return canvas.evaluate((element: HTMLCanvasElement) => element.toDataURL());
  }

  /** Saves a screenshot of the whole page, scrolled to the top so the sticky header stays there. */
  async function snap(page: Page, name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  /** Draws a "7" on a demo's drawing pad with the mouse. */
  async function drawSeven(page: Page, demo: string): Promise<void> {
    const pad = page.locator(`[data-demo="${demo}"] [data-testid="draw-pad"]`);
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
    await page.mouse.move(...at(0.25, 0.2));
    await page.mouse.down();
    for (const [fx, fy] of [[0.5, 0.2], [0.75, 0.2], [0.62, 0.5], [0.5, 0.8]]) await page.mouse.move(...at(fx, fy), { steps: 6 });
    await page.mouse.up();
  }

  it('reconstructs test digits and a drawn one on WebGL', async () => {
    const page = await open('/demos/reconstruct.html');
    expect(await backendOf(page, 'reconstruct')).toBe('webgl');
    const outputs = page.locator('[data-demo="reconstruct"] [data-testid="outputs"]');
    await waitForCount(outputs, 'data-renders', 1);
    expect(await inkShare(outputs)).toBeGreaterThan(0.05);
    expect(await page.locator('[data-demo="reconstruct"] [data-testid="fallback"]').count()).toBe(0);
    const mse = Number(/([\d.]+) per pixel/.exec(await page.getByTestId('mse').innerText())![1]);
    expect(mse).toBeGreaterThan(0);
    expect(mse).toBeLessThan(0.05);

    const before = await pixels(outputs);
    await page.getByRole('button', { name: 'Next ten digits' }).click();
    await waitForCount(outputs, 'data-renders', 2);
    expect(await pixels(outputs)).not.toBe(before);

    await drawSeven(page, 'reconstruct');
    const drawn = page.locator('[data-demo="reconstruct"] [data-testid="drawn-output"]');
    await waitForCount(drawn, 'data-renders', 1);
    expect(await inkShare(drawn)).toBeGreaterThan(0.03);
    await expect.poll(() => page.getByTestId('model-info').innerText()).toMatch(/trained \d+ epochs/);
    await snap(page, 'reconstruct');
    await page.close();
  });

  it('denoises test digits with the chosen noise on WebGL', async () => {
    const page = await open('/demos/denoise.html');
    expect(await backendOf(page, 'denoise')).toBe('webgl');
    const outputs = page.locator('[data-demo="denoise"] [data-testid="outputs"]');
    await waitForCount(outputs, 'data-renders', 1);
    expect(await inkShare(outputs)).toBeGreaterThan(0.05);
    const psnr = async () => (/noisy ([\d.]+) dB, denoised ([\d.]+) dB/.exec(await page.getByTestId('psnr').innerText()) ?? []).slice(1).map(Number);
    const [noisy, denoised] = await psnr();
    expect(denoised).toBeGreaterThan(noisy + 3);

    const before = await pixels(outputs);
    await page.getByTestId('noise-type').selectOption('salt-and-pepper');
    await page.getByTestId('noise-strength').fill('0.2');
    await waitForCount(outputs, 'data-renders', 2);
    await expect.poll(() => pixels(outputs)).not.toBe(before);

    await drawSeven(page, 'denoise');
    await expect.poll(() => inkShare(page.locator('[data-demo="denoise"] [data-testid="drawn-output"]')), { timeout: 30_000 }).toBeGreaterThan(0.03);
    await snap(page, 'denoise');
    await page.close();
  });

  it('decodes the point moved across the VAE latent plane on WebGL', async () => {
    const page = await open('/demos/latent.html');
    expect(await backendOf(page, 'latent')).toBe('webgl');
    const decoded = page.locator('[data-demo="latent"] [data-testid="decoded"]');
    await waitForCount(decoded, 'data-decodes', 1);
    await expect.poll(() => inkShare(page.getByTestId('manifold')), { timeout: 30_000 }).toBeGreaterThan(0.05);
    expect(await inkShare(decoded)).toBeGreaterThan(0.03);

    const atCentre = await pixels(decoded);
    await page.getByTestId('z1').fill('2');
    await expect.poll(() => decoded.getAttribute('data-z')).toBe('2,0');
    await expect.poll(() => pixels(decoded)).not.toBe(atCentre);

    // Drag the point to the lower left of the map.
    const map = page.getByTestId('latent-map');
    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.75, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => (await decoded.getAttribute('data-z'))!.split(',').map(Number)).toEqual([
      expect.closeTo(-1.75, 1),
      expect.closeTo(-1.75, 1),
    ]);
    expect(await inkShare(decoded)).toBeGreaterThan(0.02);
    await snap(page, 'latent');
    await page.close();
  });

  it('trains an autoencoder in the page on WebGL, with a live loss', async () => {
    const page = await open('/demos/train.html');
    expect(await backendOf(page, 'train')).toBe('webgl');
    await page.getByTestId('epochs').selectOption('2');
    await page.getByTestId('images').selectOption('500');
    await page.getByTestId('train').click();
    const loss = page.getByTestId('loss');
    await waitForCount(loss, 'data-steps', 3);
    expect(await loss.innerText()).toMatch(/loss \d\.\d{4}/);
    // Two epochs of 450 digits in batches of 64: 16 steps, then the run ends.
    await waitForCount(loss, 'data-epochs', 2);
    await expect.poll(() => page.locator('[data-demo="train"] [data-testid="status"]').innerText()).toMatch(/^Done/);
    expect(Number(await loss.getAttribute('data-steps'))).toBe(16);
    const text = await loss.innerText();
    const last = Number(/: loss (\d\.\d+)/.exec(text)![1]);
    expect(last).toBeLessThan(0.35); // untrained binary cross-entropy is about 0.69
    expect(text).toMatch(/validation loss \d\.\d{4}/);
    expect(await inkShare(page.locator('[data-demo="train"] [data-testid="outputs"]'))).toBeGreaterThan(0.05);
    await snap(page, 'train');
    await page.close();
  });

  it('falls back to another backend, and says so, where WebGL is missing', async () => {
    const noWebGl = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await noWebGl.addInitScript(() => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
        if (/webgl/i.test(type)) return null;
        return (original as (...a: unknown[]) => RenderingContext | null).call(this, type, ...rest);
      } as typeof original;
    });
    const page = await open('/demos/reconstruct.html', noWebGl);
    const backend = await backendOf(page, 'reconstruct');
    expect(['wasm', 'cpu']).toContain(backend);
    expect(backend).toBe('wasm');
    await expect.poll(() => page.getByTestId('fallback').innerText()).toMatch(/WebGL is not available.*wasm/s);
    const outputs = page.locator('[data-demo="reconstruct"] [data-testid="outputs"]');
    await waitForCount(outputs, 'data-renders', 1);
    expect(await inkShare(outputs)).toBeGreaterThan(0.05);
    await snap(page, 'fallback-wasm');
    await noWebGl.close();
  });

  it('serves the guides and the generated API reference', async () => {
    const page = await open('/');
    await expect.poll(() => page.locator('.VPHero .name').innerText()).toBe('aekit');
    await page.screenshot({ path: join(screenshots, 'home.png') });
    for (const [path, heading] of [
      ['/guide/getting-started.html', 'Getting started'],
      ['/guide/plugins.html', 'Write your own autoencoder plugin'],
      ['/guide/families/variational.html', 'Variational autoencoder'],
      ['/api/@aekit/core/index/functions/useBackend.html', 'Function: useBackend()'],
    ]) {
      await page.goto(site.url + path);
      await expect.poll(() => page.locator('main h1').first().innerText()).toContain(heading);
    }
    // A family guide with the package's results (or the note that they are not measured yet) and a run's picture.
    await page.goto(site.url + '/guide/families/denoising.html');
    // The results' picture (10 epochs) and the quick run's (3 epochs): both load.
    const pictures = page.locator('main img[src*="conv-denoise"]');
    await expect.poll(() => pictures.count()).toBe(2);
    await expect.poll(() => pictures.evaluateAll((imgs: HTMLImageElement[]) => Math.min(...imgs.map((img) => img.naturalWidth)))).toBeGreaterThan(0);
    await snap(page, 'guide-denoising');
    await page.goto(site.url + '/api/@aekit/core/');
    await expect.poll(() => page.locator('main').innerText()).toContain('node');
    await snap(page, 'api-core');
    // The plugin guide shows the template's real source.
    await page.goto(site.url + '/guide/plugins.html');
    expect(await page.locator('main').innerText()).toContain('export class TiedDense extends tf.layers.Layer');
    await page.screenshot({ path: join(screenshots, 'plugins-guide.png') });
    await page.close();
  });

  it('ran without uncaught errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
