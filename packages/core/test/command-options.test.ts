import { describe, expect, it } from 'vitest';
import { commandOptions, ConfigError, flagName, integerIn, option, pluginCommand, runPluginCommand, z, type CommandIO } from '../src/index.js';

const options = commandOptions({
  batchSize: option(integerIn({ min: 1 }), { value: 'n', help: 'examples per step', default: 32 }),
  out: option(z.string().min(1), { value: 'dir', help: 'where to write (default: <run>/x)' }),
  format: option(z.enum(['onnx', 'triton']), { value: 'format', help: 'what to write', default: 'onnx' }),
  check: option(z.boolean(), { help: 'skip the comparison', default: true }),
  skipBad: option(z.boolean(), { help: 'skip bad rows' }),
  channels: option(z.union([z.literal(1), z.literal(3)]), { value: 'n', help: 'grey or colour' }),
  pairs: option(z.record(z.string(), z.number()), { value: 'json', help: 'names and numbers', fromText: (text) => JSON.parse(text) }),
});

describe('commandOptions', () => {
  it('reads command-line text, keeps typed values and fills in defaults', () => {
    expect(options.parse({ batchSize: '64' })).toEqual({ batchSize: 64, format: 'onnx', check: true });
    expect(options.parse({ batchSize: 8, out: 'runs/x', channels: '3', pairs: '{"a":1}', check: false })).toEqual({
      batchSize: 8,
      out: 'runs/x',
      format: 'onnx',
      check: false,
      channels: 3,
      pairs: { a: 1 },
    });
  });

  it('names the flag and the value given in one line', () => {
    expect(() => options.parse({ batchSize: '0' })).toThrow(ConfigError);
    expect(() => options.parse({ batchSize: '0' })).toThrow(/^--batch-size: expected an integer ≥ 1, got "0"$/);
    expect(() => options.parse({ batchSize: 'x' })).toThrow(/^--batch-size: .*, got "x"$/);
    expect(() => options.parse({ batchSize: 1.5 })).toThrow(/^--batch-size: expected an integer ≥ 1, got 1.5$/);
    expect(() => options.parse({ channels: '2' })).toThrow(/^--channels: /);
    expect(() => options.parse({ pairs: '{' })).toThrow(/^--pairs: .*, got "\{"$/);
    expect(() => options.parse({ bachSize: 3 })).toThrow(/^--bach-size: is not an option of this command; its options are --batch-size, --out, /);
  });

  it('checks one flag alone, as a parser reading a command line does', () => {
    expect(options.fromText('batchSize', '7')).toBe(7);
    expect(() => options.fromText('batchSize', '-7')).toThrow('expected an integer ≥ 1');
  });

  it('derives the flags, choices and switches from the declaration', () => {
    expect(options.fields.map((f) => f.flags)).toEqual(['--batch-size <n>', '--out <dir>', '--format <format>', '--no-check', '--skip-bad', '--channels <n>', '--pairs <json>']);
    expect(options.fields.find((f) => f.key === 'format')?.choices).toEqual(['onnx', 'triton']);
    expect(options.table().split('\n').slice(2, 4)).toEqual(['| `--batch-size <n>` | `32` | examples per step |', '| `--out <dir>` |  | where to write (default: &lt;run&gt;/x) |']);
  });

  it('refuses a field declared without option()', () => {
    expect(() => commandOptions({ epochs: z.number() })).toThrow(/'epochs' is not declared with option/);
  });

  it('spells flags as commander does', () => {
    expect(flagName('trainFraction')).toBe('--train-fraction');
    expect(flagName('out')).toBe('--out');
  });
});

describe('plugin commands', () => {
  it('run with the options checked and typed by their declaration', async () => {
    const seen: unknown[] = [];
    const hello = pluginCommand({
      name: 'hello',
      description: 'say hello',
      options: commandOptions({ times: option(z.number().int().positive(), { value: 'n', help: 'how often', default: 1 }) }),
      async run(_args, { times }) {
        seen.push(times + 1);
      },
    });
    const io = { log: () => {}, backend: 'cpu' } as unknown as CommandIO;
    await runPluginCommand(hello, [], { times: '2' }, io);
    expect(seen).toEqual([3]);
    await expect(runPluginCommand(hello, [], { times: '0' }, io)).rejects.toThrow(/^--times: /);
  });
});
