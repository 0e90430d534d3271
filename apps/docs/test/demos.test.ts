// End to end, as a visitor uses the site: serves the built site, drives
// Debian's Chromium headless with playwright-core, and checks that every live
// demo runs on the WebGL backend and shows what it promises (and that
// without WebGL a demo says so and falls back). Screenshots go to
// test-results/ for a person to look at.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
  /** Console errors of every page, failed resource loads (a missing favicon) included. */
  const consoleErrors: string[] = [];

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
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()} ${message.location().url}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${path}: HTTP ${response.status()} for ${response.url()}`);
    });
    const response = await page.goto(site.url + path);
    expect(response?.status()).toBe(200);
    return page;
  }

  /** Waits for a demo to start and returns its backend label. */
  async function backendOf(page: Page, demo: string): Promise<string> {
    // The label is there from the start; its data-backend once the backend has started.
    const label = page.locator(`[data-demo="${demo}"] [data-testid="backend"][data-backend]`);
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

  /** The digits drawn side by side on a demo canvas (drawDigits: 28 x 28 enlarged `scale` times, `gap` apart), values in [0, 1]. */
  function digitsOf(canvas: Locator, count: number, scale = 3, gap = 4): Promise<number[][]> {
    return canvas.evaluate(
      (element: HTMLCanvasElement, [n, k, g]) => {
        const data = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
        return Array.from({ length: n }, (_, d) =>
          Array.from({ length: 784 }, (_, p) => {
            const x = d * (28 * k + g) + (p % 28) * k + Math.floor(k / 2);
            const y = Math.floor(p / 28) * k + Math.floor(k / 2);
            return data[(y * element.width + x) * 4] / 255;
          }),
        );
      },
      [count, scale, gap] as const,
    );
  }

  it('learns legible, distinct digits with its default settings on WebGL', async () => {
    const page = await open('/demos/train.html');
    expect(await backendOf(page, 'train')).toBe('webgl');
    await page.getByTestId('train').click();
    const loss = page.getByTestId('loss');
    await waitForCount(loss, 'data-steps', 3);
    expect(await loss.innerText()).toMatch(/loss \d\.\d{4}/);
    // The defaults: three epochs of 1,800 digits in batches of 32, 57 steps each.
    await expect.poll(() => page.locator('[data-demo="train"] [data-testid="status"]').innerText(), { timeout: 120_000 }).toMatch(/^Done/);
    expect(Number(await loss.getAttribute('data-epochs'))).toBe(3);
    expect(Number(await loss.getAttribute('data-steps'))).toBe(171);
    const valLoss = Number(await loss.getAttribute('data-val-loss'));
    const baseline = Number(await loss.getAttribute('data-baseline'));
    const seconds = Number(await loss.getAttribute('data-seconds'));
    console.log(`train demo defaults: validation loss ${valLoss.toFixed(4)}, average-digit baseline ${baseline.toFixed(4)}, ${seconds.toFixed(1)} s`);
    // Always answering the average digit scores about 0.26; grey blobs score
    // just below it, legible digits far below.
    expect(baseline).toBeGreaterThan(0.2);
    expect(valLoss).toBeLessThan(baseline - 0.06);
    expect(await loss.innerText()).toMatch(/validation loss \d\.\d{4}.*average digit scores \d\.\d{4}/s);
    // Each reconstruction is its own digit: reconstructions of test digits
    // with different labels (7 2 1 0 4 1 4 9) differ by more than blobs do,
    // and each one is nearer to its own test digit than to the others shown.
    const shown = 8;
    const recons = await digitsOf(page.locator('[data-demo="train"] [data-testid="outputs"]'), shown);
    const originals = await digitsOf(page.getByTestId('originals'), shown);
    const labels = [7, 2, 1, 0, 4, 1, 4, 9];
    const distance = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
    let closest = Infinity;
    for (let i = 0; i < shown; i++) {
      for (let j = i + 1; j < shown; j++) if (labels[i] !== labels[j]) closest = Math.min(closest, distance(recons[i], recons[j]));
    }
    console.log(`train demo defaults: smallest distance between reconstructions of different digits ${closest.toFixed(4)}`);
    expect(closest).toBeGreaterThan(0.04);
    for (let i = 0; i < shown; i++) {
      const own = distance(recons[i], originals[i]);
      for (let j = 0; j < shown; j++) if (labels[j] !== labels[i]) expect(own).toBeLessThan(distance(recons[i], originals[j]));
    }
    await snap(page, 'train');
    await page.close();
  });

  it('reconstructs a digit drawn while the demo is still loading its model', async () => {
    const page = await context.newPage();
    // Hold the model back until the visitor has drawn.
    let release!: () => void;
    const drawn = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/models/dense/model.json', async (route) => {
      await drawn;
      await route.continue();
    });
    await page.goto(site.url + '/demos/reconstruct.html');
    const status = page.locator('[data-demo="reconstruct"] [data-testid="status"]');
    await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/^Loading/);
    await drawSeven(page, 'reconstruct');
    const output = page.locator('[data-demo="reconstruct"] [data-testid="drawn-output"]');
    expect(await output.getAttribute('data-renders')).toBe('0');
    release();
    await waitForCount(output, 'data-renders', 1);
    expect(await inkShare(output)).toBeGreaterThan(0.03);
    expect(await inkShare(page.locator('[data-demo="reconstruct"] [data-testid="drawn-input"]'))).toBeGreaterThan(0.03);
    await page.close();
  });

  it('keeps the layout of every demo page still while the demo starts (cumulative layout shift below 0.1)', async () => {
    /** Layout shifts not caused by input, summed from the first paint (an upper bound of Chromium's CLS), with what moved. */
    async function layoutShift(demo: string): Promise<{ total: number; moved: string[] }> {
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { shift: { total: number; moved: string[] } };
        w.shift = { total: 0, moved: [] };
        type Source = { node?: Element | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly };
        const name = (node?: Element | null) => (node ? `${node.nodeName.toLowerCase()}${node.className && typeof node.className === 'string' ? `.${node.className.trim().split(/\s+/).join('.')}` : ''}` : '?');
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; startTime: number; sources: Source[] }[]) {
            if (entry.hadRecentInput) continue;
            w.shift.total += entry.value;
            const moved = entry.sources.map((s) => `${name(s.node)} y ${Math.round(s.previousRect.y)}->${Math.round(s.currentRect.y)}`).join(', ');
            w.shift.moved.push(`${entry.value.toFixed(4)} at ${Math.round(entry.startTime)} ms: ${moved}`);
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(`${site.url}/demos/${demo}.html`);
      await backendOf(page, demo);
      await expect.poll(() => page.locator(`[data-demo="${demo}"] [data-testid="status"]`).innerText(), { timeout: 60_000 }).toMatch(/^Ready/);
      if (demo !== 'train') await expect.poll(() => page.getByTestId('model-info').innerText()).toMatch(/^Model:/);
      await page.waitForTimeout(500);
      const shift = await page.evaluate(() => (window as unknown as { shift: { total: number; moved: string[] } }).shift);
      await page.close();
      return shift;
    }
    const shifts: Record<string, number> = {};
    for (const demo of ['reconstruct', 'denoise', 'latent', 'train']) {
      let shift = await layoutShift(demo);
      // Once in many CI runs on a loaded machine, one page load shifted by 0.11 and the next ones did
      // not: what moved is printed, and a second load decides (a page that shifts every time fails).
      if (shift.total >= 0.1) {
        console.log(`${demo}: layout shift ${shift.total.toFixed(4)} on the first load; what moved: ${shift.moved.join('; ')}`);
        shift = await layoutShift(demo);
      }
      shifts[demo] = shift.total;
      expect(shift.total, `${demo}: ${shift.moved.join('; ')}`).toBeLessThan(0.1);
    }
    console.log(`layout shift while the demos start: ${JSON.stringify(shifts)}`);
  });

  it('says that ?backend=wasm in the address picked the backend, not that WebGL is missing', async () => {
    const page = await open('/demos/reconstruct.html?backend=wasm');
    expect(await backendOf(page, 'reconstruct')).toBe('wasm');
    await expect.poll(() => page.getByTestId('requested').innerText()).toMatch(/wasm backend because the address asks for it \(\?backend=wasm\)/);
    expect(await page.getByTestId('fallback').count()).toBe(0);
    expect(await page.locator('[data-demo="reconstruct"]').innerText()).not.toContain('WebGL is not available');
    await waitForCount(page.locator('[data-demo="reconstruct"] [data-testid="outputs"]'), 'data-renders', 1);
    await page.close();
  });

  it('shows the reconstructions of the model as trained so far when training is stopped', async () => {
    const page = await open('/demos/train.html');
    await backendOf(page, 'train');
    // The selects show an arrow (VitePress strips it), so that they do not read as text boxes.
    expect(await page.getByTestId('epochs').evaluate((select) => getComputedStyle(select).backgroundImage)).toContain('linear-gradient');
    await page.getByTestId('train').click();
    const loss = page.getByTestId('loss');
    const outputs = page.locator('[data-demo="train"] [data-testid="outputs"]');
    const originals = await digitsOf(page.getByTestId('originals'), 8);
    // Before the first batch the page draws the untrained model's reconstructions.
    await expect.poll(() => outputs.getAttribute('data-reconstructed-at'), { timeout: 60_000 }).toBe('0');
    const untrained = await digitsOf(outputs, 8);
    await waitForCount(loss, 'data-steps', 20);
    await page.getByTestId('stop').click();
    await expect.poll(() => page.locator('[data-demo="train"] [data-testid="status"]').innerText(), { timeout: 60_000 }).toMatch(/^Stopped after batch \d+ of 171/);
    const steps = Number(await loss.getAttribute('data-steps'));
    expect(steps).toBeLessThan(171);
    expect(Number(await outputs.getAttribute('data-reconstructed-at'))).toBe(steps);
    const stopped = await digitsOf(outputs, 8);
    const meanDistance = (recons: number[][]) =>
      recons.reduce((sum, r, i) => sum + r.reduce((d, v, p) => d + Math.abs(v - originals[i][p]), 0) / r.length, 0) / recons.length;
    console.log(`train demo stopped after ${steps} batches: distance to the test digits ${meanDistance(untrained).toFixed(3)} untrained, ${meanDistance(stopped).toFixed(3)} stopped`);
    expect(meanDistance(stopped)).toBeLessThan(meanDistance(untrained) * 0.8);
    expect(await page.getByTestId('train').isEnabled()).toBe(true);
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
    // The family count and list come from the plugin packages (scripts/prepare.mjs).
    const families = JSON.parse(readFileSync(fileURLToPath(new URL('../guide/_generated/families.json', import.meta.url)), 'utf8')) as { name: string }[];
    expect(families.map((f) => f.name)).toContain('doc-denoiser');
    const words = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve'];
    const features = await page.locator('.VPFeatures').innerText();
    expect(features).toContain(`${words[families.length] ?? families.length} families, one trainer`);
    for (const { name } of families) expect(features).toContain(name);
    await page.screenshot({ path: join(screenshots, 'home.png') });
    for (const [path, heading] of [
      ['/guide/getting-started.html', 'Getting started'],
      ['/guide/plugins.html', 'Write your own autoencoder plugin'],
      ['/guide/families/variational.html', 'Variational autoencoder'],
      ['/api/@aekit/core/main/functions/useBackend.html', 'Function: useBackend()'],
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
    // The benchmark charts (drawn at twice their size): each loads, says what it shows, and is shown at least 80% of
    // its drawn size, so that its 12-pixel text stays readable.
    for (const [path, file] of [
      ['/guide/onnx.html', 'inference.png'],
      ['/guide/deploy.html', 'load.png'],
    ]) {
      await page.goto(site.url + path);
      const chart = page.locator(`main img[src$="/${file}"]`);
      await expect.poll(() => chart.count(), { message: path }).toBe(1);
      await chart.scrollIntoViewIfNeeded();
      await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.naturalWidth), { message: path }).toBeGreaterThan(0);
      const { alt, shown, drawn } = await chart.evaluate((img: HTMLImageElement) => ({ alt: img.alt, shown: img.getBoundingClientRect().width, drawn: img.naturalWidth / 2 }));
      expect(alt.length, `${path}: alt text of ${file}`).toBeGreaterThan(40);
      expect(shown / drawn, `${path}: ${file} shown ${shown} px wide, drawn ${drawn}`).toBeGreaterThanOrEqual(0.8);
    }
    await page.goto(site.url + '/api/@aekit/core/');
    await expect.poll(() => page.locator('main').innerText()).toContain('node');
    await snap(page, 'api-core');
    // The plugin guide shows the template's real source.
    await page.goto(site.url + '/guide/plugins.html');
    expect(await page.locator('main').innerText()).toContain('export class TiedDense extends tf.layers.Layer');
    await page.screenshot({ path: join(screenshots, 'plugins-guide.png') });
    await page.close();
  });

  it('loads every guide page', async () => {
    const guide = fileURLToPath(new URL('../guide', import.meta.url));
    const pages = (function walk(dir: string, prefix: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        if (name.startsWith('_')) return []; // included fragments, not pages
        if (statSync(join(dir, name)).isDirectory()) return walk(join(dir, name), `${prefix}${name}/`);
        return name.endsWith('.md') ? [`${prefix}${name.replace(/\.md$/, '.html')}`] : [];
      });
    })(guide, '/guide/');
    expect(pages.length).toBeGreaterThan(10);
    const page = await open('/');
    for (const path of pages) {
      const response = await page.goto(site.url + path);
      expect(response?.status(), path).toBe(200);
      await expect.poll(() => page.locator('main h1').first().innerText(), { message: path }).not.toBe('');
      expect(await page.locator('.NotFound').count(), path).toBe(0);
    }
    await page.close();
  });

  it('serves an API module page on a direct load and a reload, with working links', async () => {
    // sirv, like `vitepress preview`, tries `<path>.html` before `<path>/index.html`.
    for (const path of ['/api/@aekit/core/main/', '/api/@aekit/core/node/']) {
      const page = await open(path);
      await expect.poll(() => page.locator('main h1').first().innerText()).toMatch(new RegExp(`^${path.split('/').at(-2)}\\b`));
      await page.reload();
      await expect.poll(() => page.locator('main h1').first().innerText()).toMatch(new RegExp(`^${path.split('/').at(-2)}\\b`));
      // Every relative link of the page resolves to a page.
      const links = await page.locator('main a[href]').evaluateAll((anchors: HTMLAnchorElement[]) =>
        anchors.map((a) => a.href).filter((href) => href.startsWith(location.origin)),
      );
      expect(links.length).toBeGreaterThan(5);
      for (const href of new Set(links.map((link) => link.split('#')[0]))) {
        const response = await page.request.get(href);
        expect(response.status(), href).toBe(200);
      }
      await page.close();
    }
    // The index gives every package its one-line description.
    const index = await open('/api/');
    expect(await index.locator('main').innerText()).toContain('@aekit/core: Interfaces, plugin registry, trainer');
    await index.close();
  });

  it('ran without uncaught errors or console errors in any page', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
