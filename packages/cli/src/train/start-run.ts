import { join } from 'node:path';
import { ConfigError, registry } from '@aekit/core';
import { loadCheckpoint, type LoadedCheckpoint } from '@aekit/core/node';
import { defaultRunDirectory, prepareRunDirectory, RUN_FILES } from '../run-directory.js';
import { newRunSettings, parseRunSettings, type RunSettings, type SettingsOptions } from './run-settings.js';

/** A run about to train: its settings, directory and, when resumed, the checkpoint it continues. */
export interface StartedRun {
  settings: RunSettings;
  runDir: string;
  /** Whether this run created its directory (a failed new run removes it again when it stays empty). */
  createdDir: boolean;
  restored?: LoadedCheckpoint;
}

/**
 * Step 1 of `ae train`: a new run from the options, or, with `--resume`,
 * the run in that directory with the settings its checkpoint recorded
 * (checked against the same schema as a new run's; `--epochs` may extend it).
 *
 * @param familyName - The family asked for on the command line, if any.
 * @param options - The command-line options.
 * @param log - Where to say that a run resumes.
 * @throws ConfigError for a missing family, a family that differs from the checkpoint's, or settings the schema refuses.
 */
export async function startRun(familyName: string | undefined, options: SettingsOptions & { out?: string; resume?: string }, log: (line: string) => void): Promise<StartedRun> {
  if (!options.resume) {
    if (!familyName) throw new ConfigError('family', 'name a family to train (see ae list), or --resume <run-dir>');
    const settings = newRunSettings(registry.get(familyName), options);
    const { path, created } = await prepareRunDirectory(options.out ?? defaultRunDirectory(familyName));
    return { settings, runDir: path, createdDir: created };
  }
  const { path: runDir } = await prepareRunDirectory(options.resume);
  const restored = await loadCheckpoint(join(runDir, RUN_FILES.checkpoint));
  let settings: RunSettings;
  try {
    settings = parseRunSettings({ ...restored.run, ...(options.epochs ? { epochs: options.epochs } : {}) }, 'resume');
    if (familyName && familyName !== settings.family) {
      throw new ConfigError('family', `the run in ${runDir} trains '${settings.family}', not '${familyName}'`);
    }
  } catch (error) {
    restored.autoencoder.dispose();
    restored.optimizer.dispose();
    throw error;
  }
  log(`resuming ${settings.family} in ${runDir} at epoch ${restored.progress.epoch + 1}, batch ${restored.progress.batch + 1}`);
  return { settings, runDir, createdDir: false, restored };
}
