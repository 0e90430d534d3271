/** An abort signal that Ctrl-C, SIGTERM or the caller's own signal trips. */
export interface StopSignals {
  signal: AbortSignal;
  /** Stops listening to the process signals. */
  release(): void;
}

/**
 * Step 3 of `ae train`: the first Ctrl-C (or SIGTERM) asks training to stop
 * after the current batch and write a checkpoint; a second one quits at once.
 *
 * @param log - Where to say what happens.
 * @param external - A caller's signal (tests) that stops training the same way.
 */
export function listenForStop(log: (line: string) => void, external?: AbortSignal): StopSignals {
  const controller = new AbortController();
  external?.addEventListener('abort', () => controller.abort());
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    log('stopping after the current batch to write a checkpoint (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
