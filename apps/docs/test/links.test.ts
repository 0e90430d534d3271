// A crawl of the built site as a visitor's browser would follow it: from the
// home page and the section indexes, every internal link and every internal
// resource a page loads (`href` and `src`) is fetched from the same static
// server the browser tests use, and the pages found are crawled in turn. Any
// answer but 200 fails the test, with the page that links to it. Needs no
// browser: VitePress renders every link into the HTML.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory } from './site.js';

const dist = fileURLToPath(new URL('../.vitepress/dist', import.meta.url));
/** Where the crawl starts: what a reader types or is sent to. */
const STARTS = ['/', '/guide/', '/demos/', '/api/'];
/** Requests in flight at once. */
const PARALLEL = 8;

/** The `href` and `src` values of an HTML page, entities decoded as a browser would. */
function linksOf(html: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    links.push(match[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  return links;
}

describe('the built site has no broken internal link', () => {
  let site: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built site in ${dist}: run the docs build first`);
    site = await serveDirectory(dist);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('reads href and src the way a browser does', () => {
    expect(linksOf('<a class="x" href="/guide/a.html#b">a</a><img src="/i.png" alt=""><a href="?q=1&amp;r=2">')).toEqual([
      '/guide/a.html#b',
      '/i.png',
      '?q=1&r=2',
    ]);
  });

  it('answers 200 for every page and resource linked from any page reached from the home page', async () => {
    const origin = new URL(site.url).origin;
    /** Address (no fragment) -> the first page that linked to it. */
    const linkedFrom = new Map<string, string>(STARTS.map((path) => [new URL(path, origin).href, '(start)']));
    const queue = [...linkedFrom.keys()];
    const broken: string[] = [];
    let pages = 0;
    let links = 0;

    async function visit(address: string): Promise<void> {
      const response = await fetch(address, { redirect: 'manual' });
      if (response.status !== 200) {
        broken.push(`${address.slice(origin.length)}: HTTP ${response.status}, linked from ${linkedFrom.get(address)}`);
        await response.body?.cancel();
        return;
      }
      if (!(response.headers.get('content-type') ?? '').includes('text/html')) {
        await response.body?.cancel();
        return;
      }
      pages++;
      const html = await response.text();
      for (const link of linksOf(html)) {
        if (/^(mailto|javascript|data):/i.test(link)) continue;
        const target = new URL(link, address);
        if (target.origin !== origin) continue;
        links++;
        target.hash = '';
        if (!linkedFrom.has(target.href)) {
          linkedFrom.set(target.href, address.slice(origin.length));
          queue.push(target.href);
        }
      }
    }

    const started = performance.now();
    let active = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        // Each worker takes from the shared queue until it is empty and no page in flight can add to it.
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            active++;
            await visit(next).finally(() => active--);
          } else if (active === 0) {
            return;
          } else {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
      }),
    );
    console.log(
      `crawl: ${pages} pages, ${linkedFrom.size} distinct addresses from ${links} internal links, ${broken.length} broken, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(broken).toEqual([]);
    // The crawl reached the whole site: the guides, the demos and the API reference.
    expect(pages).toBeGreaterThan(500);
    for (const path of ['/guide/getting-started.html', '/demos/train.html', '/api/@aekit/core/main/functions/fit.html']) {
      expect(linkedFrom.has(new URL(path, origin).href), path).toBe(true);
    }
  });

  it('does not publish the maintainers\' measurement pages of results/', async () => {
    // results/train-demo.md is read in the repository; as a page it was the first search hit for "train demo".
    const response = await fetch(`${site.url}/results/train-demo.html`);
    await response.body?.cancel();
    expect(response.status).toBe(404);
  });
});
