// Measures the train demo in headless Chromium (WebGL through SwiftShader)
// as a visitor runs it: serves the built site, presses Train with the
// page's default settings and with the earlier defaults, and writes the
// validation loss, the average-digit baseline, the smallest difference
// between reconstructions of different digits and the training time to
// results/train-demo.md.
//
//   pnpm --filter @aekit/docs build && node scripts/measure-train-demo.mjs
//
// Uses the system's Chromium ($CHROMIUM_PATH or /usr/bin/chromium); no
// browser is downloaded.
/* global document -- page.waitForFunction runs in the browser */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sirv from 'sirv';

const dist = fileURLToPath(new URL('../.vitepress/dist', import.meta.url));
const resultsFile = fileURLToPath(new URL('../results/train-demo.md', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
/** Labels of the first eight test digits the demo shows. */
const LABELS = [7, 2, 1, 0, 4, 1, 4, 9];

/** Settings to measure: the select values by data-testid; empty means the page's defaults. */
const RUNS = [
  { name: 'defaults (code 32, 3 epochs, 2,000 digits, batch 32, lr 0.01)', settings: {} },
  { name: 'earlier defaults (code 32, 3 epochs, 1,000 digits, batch 64, lr 0.005)', settings: { images: '1000', 'batch-size': '64', 'learning-rate': '0.005' } },
];

if (!existsSync(`${dist}/index.html`)) throw new Error(`no built site in ${dist}: run the docs build first`);
const handler = sirv(dist, { dev: false, extensions: ['html'] });
const server = createServer((request, response) => handler(request, response, () => ((response.statusCode = 404), response.end())));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath, args: ARGS });

/** The digits drawn on a demo canvas (28 x 28, enlarged 3 times, 4 pixels apart), values in [0, 1]. */
function digitsOf(page, selector) {
  return page.locator(selector).evaluate((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return Array.from({ length: 8 }, (_, d) =>
      Array.from({ length: 784 }, (_, p) => data[((Math.floor(p / 28) * 3 + 1) * canvas.width + d * 88 + (p % 28) * 3 + 1) * 4] / 255),
    );
  });
}

const rows = [];
for (const { name, settings } of RUNS) {
  const page = await browser.newPage();
  await page.goto(`${url}/demos/train.html`);
  await page.locator('[data-demo="train"] [data-testid="backend"]').waitFor({ timeout: 60_000 });
  const backend = await page.locator('[data-demo="train"] [data-testid="backend"]').getAttribute('data-backend');
  for (const [testId, value] of Object.entries(settings)) await page.getByTestId(testId).selectOption(value);
  await page.getByTestId('train').click();
  await page.waitForFunction(() => /^Done|failed/.test(document.querySelector('[data-demo="train"] [data-testid="status"]')?.textContent ?? ''), null, { timeout: 300_000 });
  const loss = page.getByTestId('loss');
  const [valLoss, baseline, seconds, steps] = await Promise.all(['data-val-loss', 'data-baseline', 'data-seconds', 'data-steps'].map(async (a) => Number(await loss.getAttribute(a))));
  const recons = await digitsOf(page, '[data-demo="train"] [data-testid="outputs"]');
  let closest = Infinity;
  for (let i = 0; i < 8; i++) {
    for (let j = i + 1; j < 8; j++) {
      if (LABELS[i] === LABELS[j]) continue;
      closest = Math.min(closest, recons[i].reduce((sum, v, p) => sum + Math.abs(v - recons[j][p]), 0) / 784);
    }
  }
  const row = { name, backend, steps, valLoss, baseline, closest, seconds };
  console.log(JSON.stringify(row));
  rows.push(row);
  await page.close();
}
await browser.close();
server.close();

const table = [
  '| settings | backend | steps | validation loss | average digit | smallest difference between different digits | seconds |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.name} | ${r.backend} | ${r.steps} | ${r.valLoss.toFixed(4)} | ${r.baseline.toFixed(4)} | ${r.closest.toFixed(4)} | ${r.seconds.toFixed(1)} |`),
];
await mkdir(fileURLToPath(new URL('../results', import.meta.url)), { recursive: true });
await writeFile(
  resultsFile,
  `# Train demo in headless Chromium\n\nWritten by \`node scripts/measure-train-demo.mjs\` (${new Date().toISOString().slice(0, 10)}): the train demo run as a visitor runs it, in Debian's Chromium with WebGL through SwiftShader (software), on a shared machine, so the seconds are rough. The validation loss is binary cross-entropy on the 10% of the digits held out; "average digit" is the loss of always answering the mean training digit; the difference is the mean absolute difference per pixel between the reconstructions of the shown test digits with different labels.\n\n${table.join('\n')}\n`,
);
console.log(`wrote ${resultsFile}`);
