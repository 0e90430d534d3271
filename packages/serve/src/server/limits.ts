import { AeError } from '@aekit/core';

/**
 * What bounds the work and memory of one server: every request is checked
 * against these before the work it asks for is done.
 */
export interface ServerLimits {
  /** Most items in one request, and in one model call of dynamic batching. */
  maxBatch: number;
  /** Largest request body, in bytes (413 beyond it, before it is read). */
  bodyLimit: number;
  /**
   * Most bytes of request bodies held at once, over all connections: a
   * body that would take the total past it gets 503 with `Retry-After`, so
   * clients that send bodies slowly (or never finish) cannot fill memory.
   */
  maxReceivingBytes: number;
  /** Largest answer, in bytes, computed from the request before any work (413 beyond it). */
  maxResponseBytes: number;
  /** Time a client has to send the request's headers, in ms (408 after it). */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, headers and body, in ms (408 after it). */
  bodyTimeoutMs: number;
  /** Longest silence while a request is being received, and longest idle keep-alive connection, in ms. */
  idleTimeoutMs: number;
}

/** Defaults of the limits that do not depend on the models. */
export const DEFAULT_LIMITS = {
  maxBatch: 256,
  maxResponseBytes: 64 * 2 ** 20,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  idleTimeoutMs: 5_000,
} as const;

/** The bytes a JSON body may take per value (generous: `-0.123456789012345,`), for the default body limit. */
const JSON_BODY_BYTES_PER_VALUE = 32;

/**
 * The limits of a server, with defaults: the body limit fits a full batch
 * of the largest item as JSON (at least 1 MiB), and the bytes of bodies
 * received at once are four such bodies (at least 64 MiB).
 *
 * @param given - Limits set by the caller; the rest get defaults.
 * @param largestItem - Values in the largest item any served action takes.
 * @throws AeError when a limit is not a positive whole number, or the headers timeout exceeds the body timeout.
 */
export function resolveLimits(given: Partial<ServerLimits>, largestItem: number): ServerLimits {
  const maxBatch = given.maxBatch ?? DEFAULT_LIMITS.maxBatch;
  const bodyLimit = given.bodyLimit ?? Math.max(2 ** 20, maxBatch * largestItem * JSON_BODY_BYTES_PER_VALUE);
  const limits: ServerLimits = {
    maxBatch,
    bodyLimit,
    maxReceivingBytes: given.maxReceivingBytes ?? Math.max(64 * 2 ** 20, 4 * bodyLimit),
    maxResponseBytes: given.maxResponseBytes ?? DEFAULT_LIMITS.maxResponseBytes,
    headersTimeoutMs: given.headersTimeoutMs ?? DEFAULT_LIMITS.headersTimeoutMs,
    bodyTimeoutMs: given.bodyTimeoutMs ?? DEFAULT_LIMITS.bodyTimeoutMs,
    idleTimeoutMs: given.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
  };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new AeError('serve', `${key} must be a positive whole number, got ${value}`);
  }
  if (limits.headersTimeoutMs > limits.bodyTimeoutMs) {
    throw new AeError('serve', `the headers timeout (${limits.headersTimeoutMs} ms) must not exceed the body timeout (${limits.bodyTimeoutMs} ms), which counts from the same start`);
  }
  return limits;
}
