export { fit } from './fit.js';
export { TRAINING_DEFAULTS, trainingSettingSchemas, type FitOptions } from './fit-options.js';
export { defaultWorkers, hardwareThreads } from './default-workers.js';
export { evaluate, modelInput, type EvaluateOptions, type Evaluation } from './evaluate.js';
export { createOptimizer, OPTIMIZER_NAMES, type OptimizerName } from './optimizer.js';
export { FusedAdamOptimizer } from './fused-adam-optimizer.js';
export type { EarlyStoppingOptions } from './early-stopping.js';
export type {
  BatchEndInfo,
  CheckpointOptions,
  CheckpointState,
  EpochRecord,
  StopReason,
  TrainBeginInfo,
  TrainingCallbacks,
  TrainingProgress,
  TrainingResult,
} from './events.js';
