// Links that work outside the repository: a package README is shown on the
// registry's page, where ../../README.md or results/x.png lead nowhere.
// Shared by package-metadata.mjs (which keeps every package README so) and
// the results scripts that write sections into package READMEs.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the project lives; links in package READMEs point there. */
export const REPOSITORY = 'https://github.com/aekit/aekit';

/** The branch the links point at. */
export const BRANCH = 'main';

/** Rewrites relative Markdown links of a package README into absolute repository URLs (images to their raw files). */
export function absoluteLinks(markdown, packageDir) {
  return markdown.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (match, bang, text, target) => {
    if (/^([a-z]+:|#)/i.test(target)) return match;
    const [path, anchor = ''] = target.split('#');
    const repoPath = posix.normalize(relative(root, join(packageDir, path)).split('\\').join('/'));
    const onDisk = join(root, repoPath);
    const kind = bang ? 'raw' : existsSync(onDisk) && statSync(onDisk).isDirectory() ? 'tree' : 'blob';
    return `${bang}[${text}](${REPOSITORY}/${kind}/${BRANCH}/${repoPath}${anchor ? `#${anchor}` : ''})`;
  });
}
