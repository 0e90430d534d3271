import { createRequire } from 'node:module';

// package.json sits one level above both src/version.ts and dist/version.js.
const manifest = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** This package's name, written as the ONNX `producer_name`. */
export const PACKAGE_NAME: string = manifest.name;

/** This package's version, written as the ONNX `producer_version`. */
export const PACKAGE_VERSION: string = manifest.version;
