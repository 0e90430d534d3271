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

/** The command that adds a package to the user's project. */
export function installCommand(packageName: string): string {
  return `npm install ${packageName}`;
}

/**
 * The error to show for a family no installed plugin registered: for one
 * of aekit's own families, the package that provides it and how to install
 * it; otherwise the original list of registered families.
 *
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
