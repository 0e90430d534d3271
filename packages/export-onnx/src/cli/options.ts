/**
 * Positional arguments flattened: commander hands a variadic argument over as one array.
 *
 * @param args - The positional arguments as commander passes them.
 */
export function positionals(args: readonly unknown[]): string[] {
  return args.flat().map(String);
}
