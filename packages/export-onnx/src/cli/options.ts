/**
 * Positional arguments flattened: commander hands a variadic argument over as one array.
 *
 * @example
 * ```ts
 * import { positionals } from '@aekit/export-onnx';
 *
 * positionals(['mnist.onnx', ['a.png', 'b.png']]); // ['mnist.onnx', 'a.png', 'b.png']
 * ```
 * @param args - The positional arguments as commander passes them.
 */
export function positionals(args: readonly unknown[]): string[] {
  return args.flat().map(String);
}
