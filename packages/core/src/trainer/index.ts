export { fit } from './fit.js';
export { TRAINING_DEFAULTS, trainingSettingSchemas, type FitOptions } from './fit-options.js';
export { validationSplitIndices } from './training-run.js';
export { defaultWorkers, hardwareThreads } from './default-workers.js';
export {
  MAX_BUDGET_EPOCHS,
  MIN_BATCH_SIZE,
  MIN_PATIENCE,
  MIN_STEPS_PER_EPOCH,
  MNIST_TRAINING_EXAMPLES,
  planTraining,
  stepsOfMnistEpochs,
  type TrainingPlan,
  type TrainingPlanInput,
} from './training-budget.js';
export { evaluate, modelInput, type EvaluateOptions, type Evaluation } from './evaluate.js';
export { createOptimizer, DEFAULT_LEARNING_RATES, OPTIMIZER_NAMES, type OptimizerName } from './optimizer.js';
export { FusedAdamOptimizer } from './fused-adam-optimizer.js';
export type { EarlyStoppingOptions } from './early-stopping.js';
export type { DivergenceCheck } from './divergence-guard.js';
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
