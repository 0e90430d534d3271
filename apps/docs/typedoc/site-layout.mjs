// A TypeDoc plugin for the site's API reference:
//
// 1. A package with several entry points (core: `@aekit/core` and
//    `@aekit/core/node`) gets one module per entry point, named after its
//    file's directory; the main entry, `src/index.ts`, would be the module
//    `index`, whose page `<package>/index/index.md` sits next to the package
//    page `<package>/index.md`. A static server that tries `<path>.html`
//    before `<path>/index.html` (sirv, under `vitepress preview`) then
//    answers `/api/@aekit/core/index/` with the package page, and every
//    relative link on it breaks. The module is renamed `main`, so that no
//    page's URL is also a directory.
// 2. The index page lists each package with the one-line `description` of
//    its package.json.
// 3. Every entry's "Defined in" links to its file and line in the
//    repository at main (SOURCE_URL), computed from the source file's path
//    relative to the repository root: the same in a worktree, a tarball or
//    CI's clone, whatever git remote it has.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';
import { MarkdownPageEvent } from 'typedoc-plugin-markdown';

/** The name the main entry's module gets instead of `index`. */
export const MAIN_MODULE = 'main';

/** Where the repository's files are read on the web, at main. */
export const SOURCE_URL = 'https://github.com/aekit/aekit/blob/main/';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

/** The web address of a line of a source file (an absolute path in the repository). */
export function sourceUrl(file, line) {
  return `${SOURCE_URL}${relative(repositoryRoot, file).split('\\').join('/')}#L${line}`;
}

/** `description` of every package.json under `packagesDir`, by package name. */
export function packageDescriptions(packagesDir) {
  const descriptions = new Map();
  for (const name of readdirSync(packagesDir)) {
    const file = join(packagesDir, name, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8'));
    if (json.description) descriptions.set(json.name, json.description);
  }
  return descriptions;
}

/**
 * Adds each package's description to the index page's list items
 * `- [@aekit/x](@aekit/x/index.md)`.
 */
export function describePackages(markdown, descriptions) {
  return markdown.replace(/^- \[([^\]]+)\]\(([^)]+)\)$/gm, (line, name) => {
    const description = descriptions.get(name.replace(/\\/g, ''));
    return description ? `${line}: ${description}` : line;
  });
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    // With entryPointStrategy "packages" each package is converted as a
    // project of its own (merged later), whose modules are its entry points
    // when it has more than one.
    const modules = context.project.getChildrenByKind(ReflectionKind.Module);
    const main = modules.find((module) => module.name === 'index');
    if (main && modules.length > 1) main.name = MAIN_MODULE;
  });
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      for (const source of reflection.sources ?? []) source.url = sourceUrl(source.fullFileName, source.line);
    }
  });
  const descriptions = packageDescriptions(join(import.meta.dirname, '..', '..', '..', 'packages'));
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    if (page.url === 'index.md' && page.contents) page.contents = describePackages(page.contents, descriptions);
  });
}
