import type { Command } from 'commander';
import { useBackend, type PluginCommand } from '@aekit/core';
import { loadFigures, skippedPicturesNote } from '../optional-packages.js';
import { simpleProgress } from '../progress.js';

/**
 * Adds a plugin's command to the program. Every plugin command gets a
 * `--backend` option; the backend is selected before the command runs.
 *
 * @param program - The `ae` program.
 * @param command - The plugin's command.
 * @param log - Where the command's lines go.
 */
export function addPluginCommand(program: Command, command: PluginCommand, log: (line: string) => void): void {
  const sub = program.command(command.name).description(command.description);
  for (const arg of command.arguments ?? []) sub.argument(arg.required === false ? `[${arg.name}]` : `<${arg.name}>`, arg.description);
  for (const option of command.options ?? []) sub.option(option.flags, option.description, option.default);
  if (!(command.options ?? []).some((o) => o.flags.includes('--backend'))) {
    sub.option('--backend <name>', 'wasm, cpu or auto', 'auto');
  }
  sub.action(async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const args = cmd.args;
    const options = cmd.opts();
    const backend = await useBackend(options.backend as string | undefined);
    const figures = await loadFigures();
    await command.run(args, options, {
      log,
      backend,
      figures: (dir) => figures.writerFor(dir),
      progress: (label, total) => simpleProgress(label, total),
    });
    const note = skippedPicturesNote(figures);
    if (note) log(note);
  });
}
