import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FamilyRegistry } from '@aekit/core';
import { convVaeFamily, plugin, vaeFamily } from '../src/index.js';

describe('the plugin', () => {
  it('adds the vae and conv-vae families and is found by its keyword', async () => {
    const registry = new FamilyRegistry();
    registry.use(plugin);
    expect(registry.names()).toEqual(['conv-vae', 'vae']);
    expect(registry.get('vae')).toBe(vaeFamily);
    expect(registry.get('conv-vae')).toBe(convVaeFamily);
    expect(registry.commands().map((c) => c.name)).toEqual(['vae-sample']);
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.name).toBe(plugin.name);
    expect(pkg.keywords).toContain('aekit-plugin');
  });
});
