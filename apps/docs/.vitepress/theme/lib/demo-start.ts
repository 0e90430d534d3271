import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { startRuntime, type Runtime } from './tfjs';

/**
 * The start every model demo shares: when the component mounts, start
 * TensorFlow.js on the best backend, say what is loading, run the demo's
 * own `load`, then say "Ready." (or show why the demo could not start); and
 * free the demo's models when it unmounts.
 *
 * @param loading - The status line while `load` runs, e.g. "Loading the denoiser…".
 * @param load - Loads the demo's model and data and draws its first picture.
 * @param dispose - Frees what `load` made.
 * @returns The runtime, status line and error message for `DemoFrame`.
 */
export function useDemoStart(loading: string, load: (runtime: Runtime) => Promise<void>, dispose: () => void) {
  const runtime = shallowRef<Runtime>();
  const status = ref('Starting TensorFlow.js…');
  const error = ref('');
  onMounted(async () => {
    try {
      runtime.value = await startRuntime();
      status.value = loading;
      await load(runtime.value);
      status.value = 'Ready.';
    } catch (e) {
      error.value = `The demo could not start: ${(e as Error).message}`;
      status.value = '';
    }
  });
  onBeforeUnmount(dispose);
  return { runtime, status, error };
}
