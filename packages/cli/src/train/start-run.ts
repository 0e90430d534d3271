import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DataFileError, registry } from '@aekit/core';
import { CHECKPOINT_STATE, loadCheckpoint, type LoadedCheckpoint } from '@aekit/core/node';
import { checkRunDirectory, defaultRunDirectory, prepareRunDirectory, RUN_FILES } from '../run-directory.js';
import { newRunSettings, parseRunSettings, type RunSettings, type SettingsOptions } from './run-settings.js';

/** A run about to train: its settings, directory and, when resumed, the checkpoint it continues. */
export interface StartedRun {
  settings: RunSettings;
  runDir: string;
  restored?: LoadedCheckpoint;
  /** The run directory did not exist before: removed again if the run fails before writing anything. */
  created?: boolean;
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
    const dir = options.out ?? defaultRunDirectory(familyName);
    const created = !existsSync(dir);
    return { settings, runDir: await prepareRunDirectory(dir), created };
  }
  const runDir = await prepareRunDirectory(await checkRunDirectory(options.resume), '--resume');
  const restored = await loadCheckpoint(join(runDir, RUN_FILES.checkpoint));
  let settings: RunSettings;
  try {
    settings = checkpointSettings(restored.run, options.epochs, join(runDir, RUN_FILES.checkpoint, CHECKPOINT_STATE));
    if (familyName && familyName !== settings.family) {
      throw new ConfigError('family', `the run in ${runDir} trains '${settings.family}', not '${familyName}'`);
    }
  } catch (error) {
    restored.autoencoder.dispose();
    restored.optimizer.dispose();
    throw error;
  }
  log(`resuming ${settings.family} in ${runDir} at epoch ${restored.progress.epoch + 1}, batch ${restored.progress.batch + 1}`);
  return { settings, runDir, restored };
}

/** The run settings a checkpoint kept, checked like a new run's; a bad one names the checkpoint file and field. */
function checkpointSettings(run: Record<string, unknown>, epochs: number | undefined, stateFile: string): RunSettings {
  try {
    return parseRunSettings({ ...run, ...(epochs ? { epochs } : {}) }, 'run');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new DataFileError(stateFile, `field '${error.field}': ${error.message.slice(error.field.length + 2)}`);
  }
}
