/**
 * The heap module of `@aekit/kernels-wasm` and its contracts, for kernel
 * packages that work on the wasm backend's heap too (a native twin of a
 * heap function takes the same pointers and sizes): each function's
 * contract ({@link HeapFunction}: its pointers, sizes and how far each
 * pointer reaches), the bounds check every call goes through
 * ({@link heapCallOffsets}), and the module bound to a backend
 * ({@link heapKernels}).
 *
 * @packageDocumentation
 */
export {
  heapCallOffsets,
  heapKernels,
  prepareHeapKernels,
  routeHeapFunctions,
  type HeapFunction,
  type HeapKernels,
  type HeapRegion,
  type RoutedHeapFunction,
} from './heap-kernels.js';
export { heapMemory, heapOffset, type WasmHeapBackend } from './heap-backend.js';
export { elementwiseKernel } from './elementwise-on-heap.js';
export { inputElements, outputElements, refuseWindow, WINDOW, windowGeometry, type WindowSizes } from './window.js';
export { adamUpdateHeap } from '../kernels/adam-update/heap.js';
export { addToRows } from '../kernels/bias-add/heap.js';
export { binaryCrossEntropyGradientHeap, binaryCrossEntropyHeap, binaryCrossEntropySumGradientHeap, binaryCrossEntropySumHeap } from '../kernels/binary-cross-entropy/heap.js';
export { filterGradient } from '../kernels/conv2d-backprop-filter/heap.js';
export { singleInputConvolution, singleOutputConvolution } from '../kernels/conv2d/heap.js';
export { lstmStep, lstmStepGradient, transposedProduct } from '../kernels/lstm-sequence/heap.js';
export { maxPoolGradient } from '../kernels/max-pool-grad/heap.js';
export { reluGradientHeap } from '../kernels/relu-grad/heap.js';
export { sigmoidGradientHeap } from '../kernels/sigmoid-grad/heap.js';
export { upsampleNearestGradient } from '../kernels/resize-nearest-neighbor-grad/heap.js';
export { upsampleNearest } from '../kernels/resize-nearest-neighbor/heap.js';
export { sumRows } from '../kernels/sum/heap.js';
export { swapOuterAxes, transpose2d } from '../kernels/transpose/heap.js';
