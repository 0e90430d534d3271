export { binaryCrossEntropy } from './binary-cross-entropy.js';
export { meanSquaredError } from './mean-squared-error.js';
export { l1ActivityPenalty } from './l1-activity.js';
export { contractivePenalty, sigmoidJacobianFrobeniusSquared } from './contractive.js';
export { klDivergence, gaussianKl, gaussianKlPerDimension } from './kl-divergence.js';
export type { Reduction } from './reduce.js';
