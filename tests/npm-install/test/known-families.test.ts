import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AutoencoderPlugin } from '@aekit/core';
import { FIRST_PARTY_COMMANDS, FIRST_PARTY_FAMILIES } from '@aekit/cli';
import { workspacePackages } from './workspace.js';

describe("the cli's tables of aekit's own families and commands", () => {
  it('names every family and command of every public plugin package, with the package that provides it', async () => {
    const provided: Record<string, string> = {};
    const commands: Record<string, string> = {};
    for (const pkg of workspacePackages().filter((p) => !p.private && p.keywords.includes('aekit-plugin'))) {
      const module = (await import(pathToFileURL(join(pkg.dir, 'dist', 'index.js')).href)) as { plugin: AutoencoderPlugin };
      for (const family of module.plugin.families) provided[family.name] = pkg.name;
      for (const command of module.plugin.commands ?? []) commands[command.name] = pkg.name;
    }
    expect(Object.keys(provided).length).toBeGreaterThan(0);
    expect({ ...FIRST_PARTY_FAMILIES }).toEqual(provided);
    expect({ ...FIRST_PARTY_COMMANDS }).toEqual(commands);
  });
});
