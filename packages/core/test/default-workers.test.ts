import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultWorkers, FamilyRegistry, hardwareThreads } from '../src/index.js';
import { tinyFamily } from './fixtures/tiny-family.js';

describe('defaultWorkers', () => {
  const plugins = new FamilyRegistry();
  const single = { ...tinyFamily, name: 'tiny-single', training: { workers: 1 } };
  plugins.use({ name: 'with-module', module: 'tiny-plugin', families: [tinyFamily, single] });
  plugins.use({ name: 'no-module', families: [{ ...tinyFamily, name: 'tiny-no-module' }] });

  it('gives each core a share of at least 32 examples', () => {
    expect(defaultWorkers(tinyFamily, 4096, plugins, 8)).toBe(8);
    expect(defaultWorkers(tinyFamily, 100, plugins, 8)).toBe(3);
    expect(defaultWorkers(tinyFamily, 31, plugins, 8)).toBe(1);
  });

  it("follows the family's training.workers, and one thread without a worker module", () => {
    expect(defaultWorkers(single, 4096, plugins, 8)).toBe(1);
    expect(defaultWorkers(plugins.get('tiny-no-module'), 4096, plugins, 8)).toBe(1);
  });

  it("counts the machine's threads as Node's os module does", () => {
    expect(hardwareThreads()).toBe(availableParallelism());
    expect(defaultWorkers(tinyFamily, 1 << 20, plugins)).toBe(availableParallelism());
  });
});
