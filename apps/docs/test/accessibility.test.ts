// Accessibility of the built site's main pages, checked by axe-core (the
// engine behind Lighthouse's and the browsers' accessibility audits) in
// headless Chromium: the home page, the section indexes, guides, API pages
// and every live demo once it has started; all rules in the light theme,
// colour contrast again in the dark one.
// Serious and critical violations fail the test, each named with its page,
// rule and elements; minor and moderate ones are printed.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, serveDirectory } from './site.js';

const dist = fileURLToPath(new URL('../.vitepress/dist', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const executablePath = findChromium();
if (!executablePath) {
  console.warn('docs accessibility test skipped: no Chromium binary (apt-get install chromium, or set CHROMIUM_PATH)');
}

/** The pages checked; a demo page is checked once its demo says it is ready. */
const PAGES = [
  '/',
  '/guide/getting-started.html',
  '/guide/families/variational.html',
  '/demos/',
  '/demos/reconstruct.html',
  '/demos/denoise.html',
  '/demos/latent.html',
  '/demos/train.html',
  '/api/',
  '/api/@aekit/core/main/functions/fit.html',
];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
/**
 * Violations in VitePress's own components that the site cannot fix from
 * its theme, printed but not failing. Each names its rule, the element and why.
 */
const UPSTREAM = [
  {
    rule: 'label-content-name-mismatch',
    target: '.DocSearch',
    why: 'VitePress\'s search button is named "Search" while its visible text is "Search" and the key hint "K" (axe reads "SearchK")',
  },
];

/** One line per violation: page, impact, rule, what it means, and the first elements it found. */
function describeViolation(path: string, scheme: string, violation: Result): string {
  const targets = violation.nodes.slice(0, 3).map((node) => node.target.join(' '));
  const more = violation.nodes.length > 3 ? ` and ${violation.nodes.length - 3} more` : '';
  const why = violation.nodes[0]?.failureSummary?.split('\n').slice(1, 2).join('').trim() ?? '';
  return `${path} (${scheme}): ${violation.impact} ${violation.id}: ${violation.help}; ${targets.join(', ')}${more}${why ? ` (${why})` : ''}`;
}

describe.skipIf(!executablePath)('accessibility of the documentation site (axe-core in Chromium)', () => {
  let browser: Browser;
  let site: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built site in ${dist}: run the docs build first`);
    site = await serveDirectory(dist);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /**
   * Opens a page and, for a demo, waits until the demo has started and drawn.
   * Demos run on the cpu backend here (`?backend=cpu`): what is audited is
   * the page, and WebGL's shader compilation in software would take most of
   * the test's time.
   */
  async function load(page: Page, path: string): Promise<void> {
    await page.goto(site.url + path + (/^\/demos\/.+\.html$/.test(path) ? '?backend=cpu' : ''));
    await page.locator('h1').first().waitFor();
    if ((await page.locator('[data-demo]').count()) > 0) {
      await page.locator('[data-testid="backend"][data-backend]').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => /Ready/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, {
        timeout: 60_000,
      });
    }
  }

  /** Runs axe-core on the page: every rule, or only those named. */
  function audit(page: Page, rules?: string[]): Promise<AxeResults> {
    const options: RunOptions = { resultTypes: ['violations'], ...(rules ? { runOnly: { type: 'rule', values: rules } } : {}) };
    return page.evaluate(
      (o) => (window as unknown as { axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> } }).axe.run(document, o),
      options,
    );
  }

  it('has no serious or critical violation on the main pages, in the light and the dark theme', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const failing: string[] = [];
    const minor: string[] = [];
    const upstream: string[] = [];
    const seconds: Record<string, number> = {};
    for (const path of PAGES) {
      const started = performance.now();
      await load(page, path);
      await page.addScriptTag({ content: axeSource });
      // VitePress fades colours when the theme changes; without the fade the dark audit sees the final colours at once.
      await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
      for (const scheme of ['light', 'dark'] as const) {
        // VitePress's dark theme is the `dark` class on <html> (what its theme switch sets).
        await page.evaluate((dark) => document.documentElement.classList.toggle('dark', dark), scheme === 'dark');
        // Only colours change with the theme: the dark audit runs the contrast rule alone.
        const { violations } = await audit(page, scheme === 'dark' ? ['color-contrast'] : undefined);
        for (const violation of violations) {
          const line = describeViolation(path, scheme, violation);
          const known = UPSTREAM.find((u) => u.rule === violation.id && violation.nodes.every((node) => node.target.join(' ') === u.target));
          if (known) upstream.push(`${line} [upstream: ${known.why}]`);
          else (FAILING_IMPACTS.has(violation.impact ?? '') ? failing : minor).push(line);
        }
      }
      seconds[path] = Math.round((performance.now() - started) / 100) / 10;
    }
    console.log(`axe-core: seconds per page (load, start a demo, audit twice): ${JSON.stringify(seconds)}`);
    if (minor.length > 0) console.log(`axe-core, minor and moderate:\n${minor.join('\n')}`);
    if (upstream.length > 0) console.log(`axe-core, in VitePress's own components (${upstream.length}):\n${[...new Set(upstream.map((u) => u.replace(/^\S+ /, '')))].join('\n')}`);
    await context.close();
    expect(failing).toEqual([]);
  });
});
