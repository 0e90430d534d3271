/**
 * The `ae` command-line tool as a library: run it, or reuse its pieces
 * (plugin discovery, the train command, run-directory pictures).
 *
 * @packageDocumentation
 */
export { runCli, type Output } from './program.js';
export { loadPlugins, PLUGIN_KEYWORD, type LoadPluginsOptions } from './plugins.js';
export { trainCommand, type TrainOptions, type TrainOutcome } from './commands/train.js';
export type { SettingsOptions } from './train/run-settings.js';
export { evalCommand, evalOptions, type EvalOptions } from './commands/eval.js';
export { scoreCommand, scoreOptions, type ScoreOptions, type ScoreResult } from './commands/score.js';
export { listCommand } from './commands/list.js';
export { addBuiltInDatasets, loadDataset, mnistDataset, BUILT_IN_DATASET } from './datasets.js';
export { writeReconstructions, writeTableReconstructions, writeLossCurve, writeCodeSpace, type ReconstructionPicture, type TableReconstructionPicture } from './pictures.js';
export { RUN_FILES, prepareRunDirectory, writeMetrics, defaultRunDirectory, type RunMetrics } from './run-directory.js';
export { progressCallbacks, formatDuration, formatLoss } from './progress.js';
export { buildProgram } from './program.js';
export { FIRST_PARTY_COMMANDS, FIRST_PARTY_FAMILIES, explainUnknownFamily, installCommand, missingCommand } from './known-families.js';
export { importOptional, isInstalled, loadFigures, skippedPicturesNote, type Figures } from './optional-packages.js';
export { commandOptionDeclarations, optionTableMarkers, withOptionTables } from './option-table.js';
export { trainOptions, RECORDED_OPTIONS, type TrainOptionInput } from './train/train-options.js';
export { newPluginCommand, newPluginOptions, type NewPluginOptions } from './commands/new-plugin.js';
export { familyNameOf, renderPluginTemplate, writePluginPackage, PLUGIN_TEMPLATE_DIR, type PluginTemplateOptions } from './scaffold.js';
