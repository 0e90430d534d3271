import { routeHeapFunctions, type RoutedHeapFunction } from '@aekit/kernels-wasm/heap';
import { loadBinding, type BindingLoad, type NativeBinding } from './binding.js';

let loaded: BindingLoad | undefined;
let active = false;

/** The addon, loaded on first use (or why it could not be). */
export function nativeBinding(): BindingLoad {
  loaded ??= loadBinding();
  return loaded;
}

/** Whether the native kernels run: the `native` backend is in use and the addon loaded. */
export function nativeActive(): boolean {
  return active;
}

/**
 * Switches the native kernels on or off: on, the heap functions the addon
 * implements (the loss, Adam, bias, pooling and up-sampling gradients, the
 * LSTM sequence's steps, and the products and convolutions of its own
 * contracts) run natively in place
 * of the wasm module's, after the same bounds checks.
 */
export function setNativeActive(on: boolean): void {
  const binding = on ? nativeBinding().binding : undefined;
  active = binding !== undefined;
  routeHeapFunctions(binding ? heapFunctionsOf(binding) : undefined);
}

function heapFunctionsOf(binding: NativeBinding): Record<string, RoutedHeapFunction> {
  const functions: Record<string, RoutedHeapFunction> = {};
  // An addon's functions are its exports' own properties, not enumerable ones.
  for (const name of Object.getOwnPropertyNames(binding)) {
    const value = binding[name];
    if (typeof value === 'function' && name !== 'info' && name !== 'setThreads') functions[name] = value as RoutedHeapFunction;
  }
  return functions;
}

/** Replaces the loaded addon (tests: a missing binary). @internal */
export function replaceBindingForTests(load: BindingLoad | undefined): void {
  setNativeActive(false);
  loaded = load;
}
