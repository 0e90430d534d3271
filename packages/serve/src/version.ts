import { createRequire } from 'node:module';

// package.json sits one level above both src/version.ts and dist/version.js.
const manifest = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** This package's name, reported by `GET /v2` as the server's name. */
export const PACKAGE_NAME: string = manifest.name;

/** This package's version, reported by `GET /v2`. */
export const PACKAGE_VERSION: string = manifest.version;
