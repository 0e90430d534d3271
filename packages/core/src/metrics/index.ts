export { psnr, ssim, type SsimOptions } from './image-quality.js';
export {
  anomalyMetrics,
  averagePrecision,
  bestF1,
  percentile,
  precisionRecall,
  precisionRecallCurve,
  rocAuc,
  type AnomalyMetrics,
  type DetectionCounts,
  type ThresholdPoint,
} from './anomaly-detection.js';
export { reconstructionErrors, type ReconstructionErrorOptions } from './reconstruction-errors.js';
