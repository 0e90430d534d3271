import { describe, expect, it } from 'vitest';
import { KERNELS } from '../src/kernels/index.js';
// @ts-expect-error: a plain ES module without types
import { renderKernelList, updateKernelLists, withKernelList } from '../scripts/kernel-list.mjs';

describe('the generated kernel lists', () => {
  it('in the READMEs and the backends guide match the kernel table (node scripts/kernel-list.mjs)', async () => {
    expect(await updateKernelLists(KERNELS, { check: true })).toEqual([]);
  });

  it('name every kernel of the table once, and need their markers', () => {
    const list: string = renderKernelList(KERNELS);
    for (const kernel of KERNELS) expect(list.split(`\n| \`${kernel.name}\` |`).length - 1).toBe(1);
    expect(() => withKernelList('no markers', list)).toThrow(/kernels:start/);
  });
});
