/** Positional arguments flattened: commander hands a variadic argument over as one array. */
export function positionals(args: readonly unknown[]): string[] {
  return args.flat().map(String);
}
