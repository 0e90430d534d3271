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
    text: 'Ship and extend',
    items: [
      { text: 'Export to ONNX and serve', link: '/guide/onnx' },
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

export default defineConfig({
  title: 'aekit',
  description: 'Autoencoders for TypeScript on TensorFlow.js: train, inspect, export to ONNX and serve.',
  // Set DOCS_BASE=/aekit/ (for example) to serve the site under a sub-path.
  base: process.env.DOCS_BASE ?? '/',
  lang: 'en',
  cleanUrls: false,
  lastUpdated: false,
  srcExclude: ['README.md', 'test-results/**'],
  head: [['meta', { name: 'theme-color', content: '#3c8772' }]],
  markdown: { math: false, lineNumbers: false },
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
