// The small limits the guide test gives every `ae` command, so that a
// guide's "train for 50 epochs on all of MNIST" runs in seconds: appended
// after the command's own flags, so they win (commander keeps the last
// value of an option). The commands' results are not the guides' figures;
// the results scripts measure those.

/** Flags appended to `ae <command>`, by command. */
export const QUICK_FLAGS = {
  train: ['--epochs', '1', '--limit', '256', '--test-limit', '64', '--code-points', '64'],
  eval: ['--test-limit', '64'],
  score: ['--limit', '64'],
  classify: ['--epochs', '1', '--limit', '256', '--test-limit', '64'],
  detect: ['--length', '1500', '--anomalies', '3', '--epochs', '1'],
  'make-documents': ['--pages', '2'],
};

/** Global options of `ae` that take a value (they come before the command). */
const VALUED_GLOBALS = new Set(['--plugin']);

/**
 * The command of an `ae` argument list (the first word that is neither a
 * global option nor its value), and its position.
 *
 * @param {string[]} args
 * @returns {{ command: string | undefined, index: number }}
 */
export function aeCommand(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (VALUED_GLOBALS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return { command: arg, index: i };
  }
  return { command: undefined, index: -1 };
}

/**
 * The arguments of an `ae` command with the small limits added: none for
 * `ae train --resume` (a resumed run keeps the settings of its checkpoint).
 *
 * @param {string[]} args
 * @returns {string[]}
 */
export function withQuickFlags(args) {
  const { command } = aeCommand(args);
  if (!command || !(command in QUICK_FLAGS)) return args;
  if (command === 'train' && args.some((a) => a === '--resume' || a.startsWith('--resume='))) return args;
  if (args.includes('--help') || args.includes('-h')) return args;
  return [...args, ...QUICK_FLAGS[/** @type {keyof typeof QUICK_FLAGS} */ (command)]];
}
