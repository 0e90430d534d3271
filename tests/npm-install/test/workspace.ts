import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** What the tests read of a workspace package. */
export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  private: boolean;
  keywords: string[];
  /** The `@aekit/*` packages among its dependencies. */
  aekitDependencies: string[];
}

/**
 * The packages a user names, with every `@aekit/*` package they depend on,
 * directly or not: what must be installed from tarballs while the packages
 * are not on a registry.
 *
 * @param names - Package names, e.g. `@aekit/serve`.
 */
export function withAekitDependencies(names: readonly string[]): string[] {
  const byName = new Map(workspacePackages().map((p) => [p.name, p]));
  const all = new Set<string>();
  const visit = (name: string) => {
    if (all.has(name)) return;
    all.add(name);
    for (const dependency of byName.get(name)?.aekitDependencies ?? []) visit(dependency);
  };
  names.forEach(visit);
  return [...all];
}

/**
 * Every package of the workspace, read from the folders pnpm-workspace.yaml
 * names, so packages added later are picked up without editing this test.
 */
export function workspacePackages(): WorkspacePackage[] {
  const globs = readFileSync(join(REPO, 'pnpm-workspace.yaml'), 'utf8').match(/^\s+-\s+(\S+)\/\*\s*$/gm) ?? [];
  return globs.flatMap((line) => {
    const group = join(REPO, line.replace(/^\s+-\s+/, '').replace(/\/\*\s*$/, ''));
    if (!existsSync(group)) return [];
    return readdirSync(group)
      .filter((name) => existsSync(join(group, name, 'package.json')))
      .map((name) => {
        const manifest = JSON.parse(readFileSync(join(group, name, 'package.json'), 'utf8'));
        const aekit = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@aekit/'));
        return { name: manifest.name, version: manifest.version, dir: join(group, name), private: manifest.private === true, keywords: manifest.keywords ?? [], aekitDependencies: aekit };
      });
  });
}
