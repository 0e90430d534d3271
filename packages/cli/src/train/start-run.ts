import { join } from 'node:path';
import { AeError, ConfigError, DataFileError, registry } from '@aekit/core';
import { CHECKPOINT_STATE, loadCheckpoint, type LoadedCheckpoint } from '@aekit/core/node';
import { defaultRunDirectory, prepareRunDirectory, RUN_FILES } from '../run-directory.js';
import { definedOnly, newRunSettings, parseRunSettings, type RunSettings, type SettingsOptions } from './run-settings.js';
import { RECORDED_OPTIONS, trainOptions } from './train-options.js';

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
    const settings = newRunSettings(registry.get(familyName), options);
    const { path, created } = await prepareRunDirectory(options.out ?? defaultRunDirectory(familyName));
    return { settings, runDir: path, createdDir: created };
  }
  const changes = resumeChanges(options);
  const { path: runDir } = await prepareRunDirectory(options.resume);
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
  return { settings, runDir, createdDir: false, restored };
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
