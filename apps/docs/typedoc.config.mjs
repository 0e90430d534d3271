// The API reference, generated from the packages' TSDoc comments at build
// time into api/ (git-ignored) as VitePress markdown, so it cannot drift from
// the code. Every published package under packages/ with a src/index.ts is
// documented; `@aekit/core/node` and `@aekit/core/kernels` are entry points of their own.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = '../../packages';
const packages = readdirSync(packagesDir)
  .map((name) => join(packagesDir, name))
  .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'index.ts')))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private)
  .sort();

/**
 * Each entry says where it is defined; typedoc/site-layout.mjs makes that a
 * link to the file and line in the repository. Git is not asked (the links
 * are the same in a worktree, a tarball or CI's clone); the template is
 * replaced by the plugin.
 */
const SOURCES = { disableSources: false, disableGit: true, sourceLinkTemplate: '{path}#L{line}' };

/**
 * A package's comment that links to another package's export sees that
 * export through node_modules, outside the documented sources: such links go
 * to the other package's page.
 */
const CROSS_PACKAGE_LINKS = { '@aekit/core': { AeError: '/api/@aekit/core/main/classes/AeError' } };

/** @type {Partial<import('typedoc').TypeDocOptions & import('typedoc-plugin-markdown').PluginOptions>} */
export default {
  plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme', './typedoc/site-layout.mjs'],
  entryPointStrategy: 'packages',
  entryPoints: packages,
  packageOptions: {
    // src/index.ts, plus the index.ts of a package's other entry points: @aekit/core/node,
    // @aekit/core/kernels (src/kernel-contracts).
    entryPoints: ['src/**/index.ts'],
    exclude: ['**/src/!(node|kernel-contracts)/**/index.ts'],
    tsconfig: 'tsconfig.build.json',
    excludePrivate: true,
    excludeInternal: true,
    readme: 'none',
    ...SOURCES,
    externalSymbolLinkMappings: CROSS_PACKAGE_LINKS,
    // `tf` and `z` are re-exported from tfjs and zod; their own docs cover them.
    excludeExternals: true,
  },
  out: 'api',
  docsRoot: '.',
  name: 'API reference',
  readme: 'none',
  // Packages are type-checked by their own `typecheck` task; the reference
  // renders what is there.
  skipErrorChecking: true,
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  // Comments are markdown; escape what VitePress would read as HTML or Vue.
  sanitizeComments: true,
  hidePageHeader: true,
  hideBreadcrumbs: false,
  useCodeBlocks: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  classPropertiesFormat: 'table',
  typeDeclarationFormat: 'table',
  sidebar: { pretty: true, collapsed: true },
  ...SOURCES,
  logLevel: 'Warn',
  // A warning (an unexported type a page refers to, a link that does not
  // resolve) fails the build, so the reference has none.
  treatWarningsAsErrors: true,
  validation: { notExported: false, invalidLink: true, rewrittenLink: true },
  externalSymbolLinkMappings: CROSS_PACKAGE_LINKS,
};
