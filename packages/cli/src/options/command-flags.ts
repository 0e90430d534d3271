import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandOptions } from '@aekit/core';

/**
 * Adds the options of a declaration (`commandOptions` in core) to a
 * commander command: each field's flag, value name, help, choices and
 * default, with a parser that refuses a bad value as soon as it is read
 * (commander's usage error, exit 2, naming the flag).
 *
 * @param command - The commander command.
 * @param options - The command's declared options.
 */
export function addDeclaredOptions(command: Command, options: CommandOptions): Command {
  for (const field of options.fields) {
    const flag = new Option(field.flags, field.meta.help);
    if (!field.isSwitch) {
      flag.argParser((text: string) => {
        try {
          return options.fromText(field.key, text);
        } catch (error) {
          throw new InvalidArgumentError(`${(error as Error).message.replace(/\.$/, '')}.`);
        }
      });
      // commander's default only shows in --help: values left at it are not "given" (see givenOptions).
      if (field.meta.default !== undefined) flag.default(field.meta.default);
    }
    if (field.choices) flag.choices(field.choices);
    command.addOption(flag);
  }
  return command;
}

/**
 * The options the user gave on the command line, by key: commander's
 * defaults left out, so that a declaration fills them in and `ae train
 * --resume` knows which flags were asked for.
 *
 * @param command - The commander command, after parsing.
 */
export function givenOptions(command: Command): Record<string, unknown> {
  const values = command.opts();
  return Object.fromEntries(
    Object.entries(values).filter(([key]) => {
      const source = command.getOptionValueSource(key);
      return source !== undefined && source !== 'default' && source !== 'implied';
    }),
  );
}
