import type { Command } from 'commander';
import { AeError, commandOptions, runPluginCommand, useBackend, type PluginCommand } from '@aekit/core';
import { loadFigures, skippedPicturesNote } from '../optional-packages.js';
import { addDeclaredOptions, givenOptions } from '../options/command-flags.js';
import { backendOption } from '../options/shared-options.js';
import { simpleProgress } from '../progress.js';

/** `--backend`, which every plugin command gets unless it declares its own. */
const backendOnly = commandOptions({ backend: backendOption() });

/**
 * Adds a plugin's command to the program: its declared options (see
 * `commandOptions` in core) become flags, and what the user gave is
 * checked by the declaration before the command runs. Every plugin command
 * gets a `--backend` option; the backend is selected before the command runs.
 *
 * @param program - The `ae` program.
 * @param command - The plugin's command.
 * @param log - Where the command's lines go.
 */
export function addPluginCommand(program: Command, command: PluginCommand, log: (line: string) => void): void {
  if (command.options !== undefined && !Array.isArray(command.options?.fields)) {
    throw new AeError('plugin', `plugin command '${command.name}' lists its options the old way; declare them with commandOptions({ key: option(schema, { help }) }) from @aekit/core`);
  }
  const sub = program.command(command.name).description(command.description);
  for (const arg of command.arguments ?? []) sub.argument(arg.required === false ? `[${arg.name}]` : `<${arg.name}>`, arg.description);
  if (command.options) addDeclaredOptions(sub, command.options);
  const ownBackend = command.options?.fields.some((f) => f.key === 'backend') ?? false;
  if (!ownBackend) addDeclaredOptions(sub, backendOnly);
  sub.action(async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const { backend: wanted, ...rest } = givenOptions(cmd);
    const backend = await useBackend(backendOnly.parse({ backend: wanted }).backend);
    const figures = await loadFigures();
    await runPluginCommand(command, cmd.args, ownBackend ? { ...rest, backend: wanted } : rest, {
      log,
      backend,
      figures: (dir) => figures.writerFor(dir),
      progress: (label, total) => simpleProgress(label, total),
    });
    const note = skippedPicturesNote(figures);
    if (note) log(note);
  });
}
