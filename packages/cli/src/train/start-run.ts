import { join } from 'node:path';
import { ConfigError, registry, type ModelFamily } from '@aekit/core';
import { loadCheckpoint, type LoadedCheckpoint } from '@aekit/core/node';
import { defaultRunDirectory, prepareRunDirectory, RUN_FILES } from '../run-directory.js';
import { newDataSettings, parseRunSettings, type DataSettings, type RunSettings, type SettingsOptions } from './run-settings.js';

/** A run about to read its data: the family, the directory and, when resumed, the checkpoint it continues with its settings. */
export interface StartedRun {
  /** The family to train. */
  family: ModelFamily;
  runDir: string;
  /** Which data to read (checked before the run directory is made). */
  data: DataSettings;
  /** A resumed run's settings, from its checkpoint; a new run's come from the data once it is read (`newRunSettings`). */
  settings?: RunSettings;
  restored?: LoadedCheckpoint;
}

/**
 * Step 1 of `ae train`: a new run's family and directory, or, with
 * `--resume`, the run in that directory with the settings its checkpoint
 * recorded (checked against the same schema as a new run's; `--epochs` may
 * extend it).
 *
 * @param familyName - The family asked for on the command line, if any.
 * @param options - The command-line options.
 * @param log - Where to say that a run resumes.
 * @throws ConfigError for a missing family, a family that differs from the checkpoint's, or settings the schema refuses.
 */
export async function startRun(familyName: string | undefined, options: SettingsOptions & { out?: string; resume?: string }, log: (line: string) => void): Promise<StartedRun> {
  if (!options.resume) {
    if (!familyName) throw new ConfigError('family', 'name a family to train (see ae list), or --resume <run-dir>');
    const family = registry.get(familyName);
    const data = newDataSettings(family, options);
    return { family, data, runDir: await prepareRunDirectory(options.out ?? defaultRunDirectory(familyName)) };
  }
  const runDir = await prepareRunDirectory(options.resume);
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
  return { family: registry.get(settings.family), data: settings, settings, runDir, restored };
}
