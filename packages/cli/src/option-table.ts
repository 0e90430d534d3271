import type { Command, Option } from 'commander';
import { buildProgram } from './program.js';

/** Where the generated option table sits in the root README. */
export const OPTION_TABLE_MARKERS = { start: '<!-- train-options:start -->', end: '<!-- train-options:end -->' } as const;

/**
 * The options of an `ae` command as a Markdown table (option, default,
 * what it does), rendered from the command's own definitions so that the
 * README cannot drift from the code.
 *
 * @param commandName - A built-in or plugin command, `train` by default.
 */
export function optionTable(commandName = 'train'): string {
  const program = buildProgram({ log: () => {}, error: () => {} });
  const command = program.commands.find((c: Command) => c.name() === commandName);
  if (!command) throw new Error(`ae has no command '${commandName}'`);
  const rows = command.options.map((option: Option) => {
    const choices = option.argChoices ? ` (${option.argChoices.join(', ')})` : '';
    const fallback = option.defaultValue === undefined ? '' : `\`${String(option.defaultValue)}\``;
    return `| \`${option.flags}\` | ${fallback} | ${escapeCell(option.description)}${choices} |`;
  });
  return ['| option | default | what it does |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * `markdown` with the text between the option-table markers replaced by
 * {@link optionTable}.
 *
 * @param markdown - Text holding the option-table markers, e.g. the root README.
 * @param commandName - The command whose options fill the table, `train` by default.
 * @throws Error when the markers are missing.
 */
export function withOptionTable(markdown: string, commandName = 'train'): string {
  const { start, end } = OPTION_TABLE_MARKERS;
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the markers ${start} and ${end} are missing`);
  return `${markdown.slice(0, from + start.length)}\n${optionTable(commandName)}\n${markdown.slice(to)}`;
}

function escapeCell(text: string): string {
  // Angle brackets would read as HTML tags in Markdown.
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
