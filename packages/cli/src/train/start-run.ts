import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AeError, ConfigError, DataFileError, registry, type ModelFamily } from '@aekit/core';
import { CHECKPOINT_STATE, loadCheckpoint, type LoadedCheckpoint } from '@aekit/core/node';
import { checkRunDirectory, defaultRunDirectory, prepareRunDirectory, RUN_FILES } from '../run-directory.js';
import { definedOnly, newDataSettings, parseRunSettings, type DataSettings, type RunSettings, type SettingsOptions } from './run-settings.js';
import { RECORDED_OPTIONS, trainOptions } from './train-options.js';

/** A run about to read its data: the family, the directory and, when resumed, the checkpoint it continues with its settings. */
export interface StartedRun {
  /** The family to train. */
  family: ModelFamily;
  runDir: string;
  /** Which data to read and how (checked before the run directory is made). */
  data: DataSettings;
  /** A resumed run's settings, from its checkpoint; a new run's follow the data once it is read (`newRunSettings`). */
  settings?: RunSettings;
  restored?: LoadedCheckpoint;
  /** The run directory did not exist before: removed again if the run fails before writing anything. */
  created?: boolean;
}

/**
 * Step 1 of `ae train`: a new run's family, data settings and directory (its
 * length follows the data, see `newRunSettings`), or, with `--resume`,
 * the run in that directory with the settings its checkpoint recorded,
 * checked against the same schema as a new run's. Options given with
 * `--resume` are applied (and recorded in the next checkpoint) when their
 * declaration says they may change (`resume: 'apply'`: epochs, learning
 * rate, patience, workers, ...), and refused otherwise, never ignored.
 *
 * @param familyName - The family asked for on the command line, if any.
 * @param options - The options given, by key (defaults left out).
 * @param log - Where to say that a run resumes and what changed.
 * @throws ConfigError for a missing family, a family that differs from the checkpoint's, or options that cannot change on resume.
 * @throws DataFileError naming the checkpoint for settings the schema refuses.
 */
export async function startRun(familyName: string | undefined, options: SettingsOptions, log: (line: string) => void): Promise<StartedRun> {
  if (!options.resume) {
    if (!familyName) throw new ConfigError('family', 'name a family to train (see ae list), or --resume <run-dir>');
    const family = registry.get(familyName);
    const data = newDataSettings(family, options);
    const dir = options.out ?? defaultRunDirectory(familyName);
    const created = !existsSync(dir);
    return { family, data, runDir: await prepareRunDirectory(dir), created };
  }
  const changes = resumeChanges(options);
  const runDir = await prepareRunDirectory(await checkRunDirectory(options.resume), '--resume');
  const checkpointDir = join(runDir, RUN_FILES.checkpoint);
  const restored = await loadCheckpoint(checkpointDir, registry, { learningRate: changes.learningRate });
  let settings: RunSettings;
  try {
    const saved = checkpointSettings(restored.run, join(checkpointDir, CHECKPOINT_STATE));
    settings = checkpointSettings({ ...saved, ...changes }, join(checkpointDir, CHECKPOINT_STATE));
    if (familyName && familyName !== settings.family) {
      throw new ConfigError('family', `the run in ${runDir} trains '${settings.family}', not '${familyName}'`);
    }
    const changed = Object.entries(changes).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(saved[key as keyof RunSettings]));
    const said = changed.map(([key, value]) => `${flagOf(key)} ${value} (was ${saved[key as keyof RunSettings] ?? 'unset'})`);
    log(`resuming ${settings.family} in ${runDir} at epoch ${restored.progress.epoch + 1}, batch ${restored.progress.batch + 1}${said.length ? `; changed: ${said.join(', ')}` : ''}`);
  } catch (error) {
    restored.autoencoder.dispose();
    restored.optimizer.dispose();
    throw error;
  }
  return { family: registry.get(settings.family), data: settings, settings, runDir, restored };
}

/**
 * The recorded settings that `--resume` changes: the options given whose
 * declaration allows it. Any other option given is refused in one line
 * naming every such flag.
 */
function resumeChanges(options: SettingsOptions): Partial<RunSettings> {
  const given = definedOnly(options);
  const fixed = trainOptions.fields.filter((f) => f.key in given && f.meta.resume !== 'apply');
  if (fixed.length > 0) {
    const may = trainOptions.fields.filter((f) => f.meta.resume === 'apply' && f.key !== 'resume').map((f) => f.flag);
    throw new ConfigError(
      'resume',
      `${fixed.map((f) => f.flag).join(', ')} cannot change when a run resumes (the checkpoint keeps the run's own); options that can: ${may.join(', ')}`,
    );
  }
  const parsed = trainOptions.parse(given);
  return Object.fromEntries(RECORDED_OPTIONS.filter((key) => key in given).map((key) => [key, parsed[key]]));
}

/** A checkpoint's run settings, checked as a new run's are; errors name the field and the file. */
function checkpointSettings(run: unknown, stateFile: string): RunSettings {
  try {
    return parseRunSettings(run, 'run');
  } catch (error) {
    if (error instanceof AeError) throw new DataFileError(stateFile, error.message);
    throw error;
  }
}

function flagOf(key: string): string {
  return trainOptions.fields.find((f) => f.key === key)?.flag ?? key;
}
