import type { LayerConverter } from '../context.js';
import {
  activationLayer,
  eluLayer,
  leakyReluLayer,
  preluLayer,
  reluLayer,
  softmaxLayer,
  thresholdedReluLayer,
} from './activations.js';
import { convLayer, convTransposeLayer, depthwiseConvLayer, separableConvLayer } from './conv.js';
import { denseLayer } from './dense.js';
import { concatenateLayer, elementwiseMergeLayer } from './merge.js';
import { batchNormLayer, layerNormLayer } from './normalization.js';
import { croppingLayer, globalPoolingLayer, poolingLayer, upSamplingLayer, zeroPaddingLayer } from './pooling.js';
import { bidirectionalLayer, recurrentLayer } from './recurrent.js';
import { flattenLayer, identityLayer, permuteLayer, repeatVectorLayer, rescalingLayer, reshapeLayer } from './reshape.js';
import { timeDistributedLayer } from './wrappers.js';

/**
 * The converter for each tfjs layer class. A class missing here makes the
 * conversion fail with an error naming the layer and its class.
 */
export const LAYER_CONVERTERS: ReadonlyMap<string, LayerConverter> = new Map<string, LayerConverter>([
  ['Dense', denseLayer],
  ['Conv1D', convLayer],
  ['Conv2D', convLayer],
  ['DepthwiseConv2D', depthwiseConvLayer],
  ['SeparableConv2D', separableConvLayer],
  ['Conv2DTranspose', convTransposeLayer],
  ['MaxPooling1D', poolingLayer],
  ['MaxPooling2D', poolingLayer],
  ['AveragePooling1D', poolingLayer],
  ['AveragePooling2D', poolingLayer],
  ['GlobalAveragePooling1D', globalPoolingLayer],
  ['GlobalAveragePooling2D', globalPoolingLayer],
  ['GlobalMaxPooling1D', globalPoolingLayer],
  ['GlobalMaxPooling2D', globalPoolingLayer],
  ['UpSampling2D', upSamplingLayer],
  ['ZeroPadding2D', zeroPaddingLayer],
  ['Cropping2D', croppingLayer],
  ['Flatten', flattenLayer],
  ['Reshape', reshapeLayer],
  ['Permute', permuteLayer],
  ['RepeatVector', repeatVectorLayer],
  ['Activation', activationLayer],
  ['Rescaling', rescalingLayer],
  ['ReLU', reluLayer],
  ['LeakyReLU', leakyReluLayer],
  ['ELU', eluLayer],
  ['ThresholdedReLU', thresholdedReluLayer],
  ['Softmax', softmaxLayer],
  ['PReLU', preluLayer],
  ['BatchNormalization', batchNormLayer],
  ['LayerNormalization', layerNormLayer],
  ['Add', elementwiseMergeLayer],
  ['Multiply', elementwiseMergeLayer],
  ['Average', elementwiseMergeLayer],
  ['Maximum', elementwiseMergeLayer],
  ['Minimum', elementwiseMergeLayer],
  ['Concatenate', concatenateLayer],
  ['LSTM', recurrentLayer],
  ['GRU', recurrentLayer],
  ['SimpleRNN', recurrentLayer],
  ['Bidirectional', bidirectionalLayer],
  ['TimeDistributed', timeDistributedLayer],
  // Active only in training: identity at inference.
  ['Dropout', identityLayer],
  ['SpatialDropout1D', identityLayer],
  ['GaussianNoise', identityLayer],
  ['GaussianDropout', identityLayer],
  ['AlphaDropout', identityLayer],
]);
