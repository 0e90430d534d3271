import { registry, type CommandOptions } from '@aekit/core';
import { evalOptions } from './commands/eval.js';
import { newPluginOptions } from './commands/new-plugin.js';
import { scoreOptions } from './commands/score.js';
import { trainOptions } from './train/train-options.js';

/**
 * The option declarations of every `ae` command, by command name: the
 * built-in ones and those of registered plugins (load them first).
 *
 * @example
 * ```ts
 * import { commandOptionDeclarations } from '@aekit/cli';
 *
 * const declarations = commandOptionDeclarations();
 * console.log([...declarations.keys()]); // ['train', 'eval', 'score', 'new-plugin'] and the plugins' commands
 * ```
 */
export function commandOptionDeclarations(): Map<string, CommandOptions> {
  const declarations = new Map<string, CommandOptions>([
    ['train', trainOptions],
    ['eval', evalOptions],
    ['score', scoreOptions],
    ['new-plugin', newPluginOptions],
  ]);
  for (const command of registry.commands()) if (command.options) declarations.set(command.name, command.options);
  return declarations;
}

/**
 * The markers around a command's generated option table in Markdown:
 * `<!-- options:train:start -->` … `<!-- options:train:end -->`.
 *
 * @example
 * ```ts
 * import { optionTableMarkers } from '@aekit/cli';
 *
 * optionTableMarkers('train');
 * // { start: '<!-- options:train:start -->', end: '<!-- options:train:end -->' }
 * ```
 * @param command - The command's name.
 */
export function optionTableMarkers(command: string): { start: string; end: string } {
  return { start: `<!-- options:${command}:start -->`, end: `<!-- options:${command}:end -->` };
}

/**
 * `markdown` with every command's option table (between its
 * {@link optionTableMarkers}) written again from the command's
 * declaration, so that READMEs and guides cannot drift from the code.
 *
 * @example
 * ```ts
 * import { readFile, writeFile } from 'node:fs/promises';
 * import { withOptionTables } from '@aekit/cli';
 *
 * const readme = await readFile('README.md', 'utf8');
 * await writeFile('README.md', withOptionTables(readme)); // the tables between the markers, rewritten from the declarations
 * ```
 * @param markdown - Text, e.g. the root README.
 * @param declarations - Declarations by command name; {@link commandOptionDeclarations} by default.
 * @throws Error naming a command whose markers appear but that has no declaration.
 */
export function withOptionTables(markdown: string, declarations: ReadonlyMap<string, CommandOptions> = commandOptionDeclarations()): string {
  return markdown.replace(/<!-- options:([a-z0-9-]+):start -->[\s\S]*?<!-- options:\1:end -->/g, (_whole, command: string) => {
    const options = declarations.get(command);
    if (!options) throw new Error(`no command '${command}' declares options (markers ${optionTableMarkers(command).start})`);
    const { start, end } = optionTableMarkers(command);
    return `${start}\n${options.table()}\n${end}`;
  });
}
