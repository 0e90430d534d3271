import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

// The API reference's sidebar, written by TypeDoc (typedoc-vitepress-theme)
// next to the generated pages; `pnpm build` runs TypeDoc first.
const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiSidebar = existsSync(apiSidebarFile) ? packagesAndModules(JSON.parse(readFileSync(apiSidebarFile, 'utf8'))) : [];

/**
 * Keeps the packages and their modules from TypeDoc's sidebar and drops the
 * per-symbol entries (every package's page lists its symbols): VitePress
 * renders the whole sidebar into every page, and hundreds of entries made
 * each API page a quarter of a megabyte.
 */
function packagesAndModules(items: DefaultTheme.SidebarItem[]): DefaultTheme.SidebarItem[] {
  return items.map((item) => {
    const modules = (item.items ?? []).filter((child) => child.link);
    return { text: item.text, link: item.link, ...(modules.length > 0 ? { collapsed: true, items: packagesAndModules(modules) } : {}) };
  });
}

// The families of the plugin packages, written by scripts/prepare.mjs (which
// imports the plugins), for the home page's count and list.
const familiesFile = fileURLToPath(new URL('../guide/_generated/families.json', import.meta.url));
const families: { name: string }[] = existsSync(familiesFile) ? JSON.parse(readFileSync(familiesFile, 'utf8')) : [];

const NUMBER_WORDS = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve'];

/** Fills `{{familyCount}}` ("Ten") and `{{familyNames}}` (the names in code, joined) in a home-page text. */
function withFamilies(text: string): string {
  const names = families.map((f) => `<code>${f.name}</code>`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
  return text.replace(/\{\{familyCount\}\}/g, NUMBER_WORDS[families.length] ?? String(families.length)).replace(/\{\{familyNames\}\}/g, list);
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Start',
    items: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'What autoencoders are', link: '/guide/autoencoders' },
      { text: 'Choosing a backend', link: '/guide/backends' },
      { text: 'Bring your own images', link: '/guide/your-images' },
    ],
  },
  {
    text: 'Families',
    items: [
      { text: 'Undercomplete (dense)', link: '/guide/families/dense' },
      { text: 'Sparse', link: '/guide/families/sparse' },
      { text: 'Deep', link: '/guide/families/deep' },
      { text: 'Contractive', link: '/guide/families/contractive' },
      { text: 'Convolutional', link: '/guide/families/convolutional' },
      { text: 'Denoising', link: '/guide/families/denoising' },
      { text: 'Sequence-to-sequence', link: '/guide/families/sequence' },
      { text: 'Variational', link: '/guide/families/variational' },
    ],
  },
  {
    text: 'Applications',
    items: [{ text: 'Clean scanned documents', link: '/guide/documents' }],
  },
  {
    text: 'Ship and extend',
    items: [
      { text: 'Tables and anomaly scores', link: '/guide/tables' },
      { text: 'Export to ONNX and serve', link: '/guide/onnx' },
      { text: 'Deploy: Triton, KServe, scaling out', link: '/guide/deploy' },
      { text: 'Write your own plugin', link: '/guide/plugins' },
    ],
  },
];

const demos: DefaultTheme.SidebarItem[] = [
  {
    text: 'Live demos',
    items: [
      { text: 'Reconstruct digits', link: '/demos/reconstruct' },
      { text: 'Denoise digits', link: '/demos/denoise' },
      { text: 'Walk the VAE latent space', link: '/demos/latent' },
      { text: 'Train in the page', link: '/demos/train' },
    ],
  },
];

// Set DOCS_BASE=/aekit/ (for example) to serve the site under a sub-path.
const base = process.env.DOCS_BASE ?? '/';

export default defineConfig({
  title: 'aekit',
  description: 'Autoencoders for TypeScript on TensorFlow.js: train, inspect, export to ONNX and serve.',
  base,
  lang: 'en',
  cleanUrls: false,
  lastUpdated: false,
  // guide/_generated/ holds fragments that guides include, not pages; results/
  // holds the maintainers' measurements (read in the repository), not pages for readers.
  srcExclude: ['README.md', 'test-results/**', 'scratch/**', 'guide/_generated/**', 'results/**'],
  transformPageData(pageData) {
    if (pageData.relativePath !== 'index.md') return;
    for (const feature of pageData.frontmatter.features ?? []) {
      feature.title = withFamilies(feature.title);
      feature.details = withFamilies(feature.details);
    }
  },
  head: [
    ['meta', { name: 'theme-color', content: '#3c8772' }],
    // VitePress does not prefix head links with the base.
    ['link', { rel: 'icon', type: 'image/svg+xml', href: `${base}favicon.svg` }],
  ],
  markdown: {
    math: false,
    lineNumbers: false,
    // The default light theme (github-light) colours keywords and numbers below
    // WCAG AA's 4.5:1 on VitePress's code background (4.23 and 3.23:1, axe-core);
    // its high-contrast variant keeps the same palette darker. The dark one passes.
    theme: { light: 'github-light-high-contrast', dark: 'github-dark' },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '/guide/' },
      { text: 'Demos', link: '/demos/reconstruct', activeMatch: '/demos/' },
      { text: 'API', link: '/api/', activeMatch: '/api/' },
    ],
    sidebar: {
      '/guide/': guide,
      '/demos/': demos,
      '/api/': [{ text: 'API reference', link: '/api/', items: apiSidebar }],
    },
    outline: { level: [2, 3] },
    search: { provider: 'local' },
    footer: { message: 'Released under the MIT License.' },
  },
  vite: {
    // One tfjs engine for aekit and the demos (these are direct dependencies
    // of the site, so they resolve from here; pnpm links the rest to the same copies).
    resolve: { dedupe: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@aekit/core'] },
    build: { chunkSizeWarningLimit: 4000 },
  },
});
