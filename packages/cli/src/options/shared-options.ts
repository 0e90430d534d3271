import { BACKEND_NAMES, option, z } from '@aekit/core';

/**
 * `--backend`, declared once for every command that computes: `ae train`,
 * `eval`, `score` and every plugin command (added unless it declares its
 * own). It may change when a run resumes.
 */
export const backendOption = () => option(z.enum([...BACKEND_NAMES, 'auto']), { value: 'name', help: 'tfjs backend', default: 'auto', resume: 'apply' });
