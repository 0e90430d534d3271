import type { UnknownFamilyError } from '@aekit/core';
import { AeError } from '@aekit/core';

/**
 * aekit's own families and the package that provides each, so that
 * `ae train vae` without `@aekit/models-vae` says what to install instead
 * of only listing what is there. Kept in this one place; a test checks it
 * against the first-party plugins.
 */
export const FIRST_PARTY_FAMILIES: Readonly<Record<string, string>> = {
  dense: '@aekit/models-dense',
  sparse: '@aekit/models-dense',
  deep: '@aekit/models-dense',
  contractive: '@aekit/models-dense',
  conv: '@aekit/models-conv',
  'conv-denoise': '@aekit/models-conv',
  lstm: '@aekit/models-seq',
  vae: '@aekit/models-vae',
  'conv-vae': '@aekit/models-vae',
  'doc-denoiser': '@aekit/models-documents',
};

/**
 * The `ae` subcommands aekit's own plugins add, and the package of each, so
 * that `ae vae-sample` without `@aekit/models-vae` says what to install rather
 * than only that the command is unknown. Checked by the same test.
 */
export const FIRST_PARTY_COMMANDS: Readonly<Record<string, string>> = {
  classify: '@aekit/models-conv',
  'vae-sample': '@aekit/models-vae',
  denoise: '@aekit/models-documents',
  'make-documents': '@aekit/models-documents',
  export: '@aekit/export-onnx',
  infer: '@aekit/export-onnx',
  serve: '@aekit/serve',
};

/**
 * The error for an `ae` subcommand of aekit's own plugins that no installed
 * plugin added, or undefined when the name is not one of them.
 *
 * @example
 * ```ts
 * import { missingCommand } from '@aekit/cli';
 *
 * missingCommand('export')?.message;
 * // "command 'export' comes with @aekit/export-onnx, which is not installed: npm install @aekit/export-onnx"
 * missingCommand('deploy'); // undefined
 * ```
 * @param command - The subcommand the user typed.
 */
export function missingCommand(command: string): AeError | undefined {
  const packageName = FIRST_PARTY_COMMANDS[command];
  if (!packageName) return undefined;
  return new AeError('unknown-command', `command '${command}' comes with ${packageName}, which is not installed: ${installCommand(packageName)}`);
}

/**
 * The command that adds a package to the user's project.
 *
 * @example
 * ```ts
 * import { installCommand } from '@aekit/cli';
 *
 * installCommand('@aekit/models-conv'); // 'npm install @aekit/models-conv'
 * ```
 * @param packageName - The npm package to install, e.g. `@aekit/viz`.
 */
export function installCommand(packageName: string): string {
  return `npm install ${packageName}`;
}

/**
 * The error to show for a family no installed plugin registered: for one
 * of aekit's own families, the package that provides it and how to install
 * it; otherwise the original list of registered families.
 *
 * @example
 * ```ts
 * import { UnknownFamilyError } from '@aekit/core';
 * import { explainUnknownFamily } from '@aekit/cli';
 *
 * explainUnknownFamily(new UnknownFamilyError('conv', ['dense'])).message;
 * // "family 'conv' comes with @aekit/models-conv, which is not installed: npm install @aekit/models-conv (families installed: dense)"
 * ```
 * @param error - What the registry threw.
 */
export function explainUnknownFamily(error: UnknownFamilyError): AeError {
  const packageName = FIRST_PARTY_FAMILIES[error.family];
  if (!packageName) return error;
  const installed = error.known.length > 0 ? error.known.join(', ') : 'none';
  return new AeError(
    error.code,
    `family '${error.family}' comes with ${packageName}, which is not installed: ${installCommand(packageName)} (families installed: ${installed})`,
  );
}
