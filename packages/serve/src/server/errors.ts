// Runs in the main thread and in the codec thread: imports nothing.

/**
 * A request the server refuses with a status of its own: the error body
 * is `{"error": message}` (as the Open Inference Protocol defines it), with
 * any extra headers (such as `Retry-After`).
 */
export class HttpError extends Error {
  /**
   * @param statusCode - The HTTP status, 4xx or 5xx.
   * @param message - One line saying what is wrong and what to do.
   * @param headers - Extra response headers.
   */
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The answer would be larger than `--max-response-bytes`: 413, before any work is done. */
export class ResponseTooLargeError extends HttpError {
  /**
   * @param bytes - The most bytes the answer could take.
   * @param limit - The server's limit.
   * @param what - How the bound was reached, e.g. `4,096 items × 784 values as JSON`.
   */
  constructor(bytes: number, limit: number, what: string) {
    super(
      413,
      `the answer would take up to ${bytes.toLocaleString('en-US')} bytes (${what}), more than this server's --max-response-bytes of ${limit.toLocaleString('en-US')}; ask for fewer items or outputs, or binary data`,
    );
    this.name = 'ResponseTooLargeError';
  }
}

/** The model gave a value JSON cannot carry (NaN or an infinity) for this input: 422, never `null` in the answer. */
export class NonFiniteOutputError extends HttpError {
  /**
   * @param output - The output's name.
   * @param item - The item (row of the request) it belongs to.
   * @param value - The value, NaN or ±Infinity.
   */
  constructor(output: string, item: number, value: number) {
    super(422, `the model's output '${output}' for item ${item} is ${value}, not a finite number: the input is outside what the model can compute`);
    this.name = 'NonFiniteOutputError';
  }
}
