/** The attributes tfjs' 2-D convolution gradient kernels share. @internal */
export interface ConvolutionGradientAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | number[][];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
