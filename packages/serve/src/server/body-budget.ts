import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import { RETRY_AFTER_SECONDS } from './model-queues.js';

/** The bytes one request's body holds of the budget. */
interface Hold {
  /** Counted against the budget: the declared length, or what arrived when more. */
  bytes: number;
  /** Arrived so far. */
  received: number;
  /** Given back (the answer was sent or the connection dropped): later bytes are not counted. */
  released: boolean;
}

/**
 * A cap on the bytes of request bodies the server holds at once, over all
 * connections: bodies being received, and bodies received whose answer is
 * not sent yet. A request whose declared `Content-Length` does not fit is
 * refused before a byte of it is read; a body that grows past what is left
 * (sent without a length, or slowly) is cut off when it does. Either way
 * the answer is 503 with `Retry-After`, and the connection is closed. The
 * bytes come back when the answer is sent or the connection drops. Without
 * it, many slow clients each holding a body just under the body limit add
 * up to any amount of memory.
 */
export class BodyBudget {
  private held = 0;
  private readonly holding = new WeakMap<FastifyRequest, Hold>();

  /**
   * @param limit - Most bytes of bodies held at once.
   * @param bodyLimit - Largest single body: a longer declared one is left to the body limit's 413.
   */
  constructor(
    readonly limit: number,
    private readonly bodyLimit: number,
  ) {}

  /** Bytes of bodies held now. */
  get bytes(): number {
    return this.held;
  }

  /**
   * Adds the hooks that count and cap the bodies of `app`'s requests.
   *
   * @param app - The server.
   */
  register(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      const declared = Number(request.headers['content-length']);
      if (declared > 0 && declared <= this.bodyLimit && this.held + declared > this.limit) throw this.refusal(declared);
      // A declared length is reserved at once: many requests arriving together must not all see room for their bodies.
      const hold: Hold = { bytes: declared > 0 && declared <= this.bodyLimit ? declared : 0, received: 0, released: false };
      this.held += hold.bytes;
      this.holding.set(request, hold);
      reply.raw.once('close', () => this.release(request));
    });
    app.addHook('preParsing', async (request: FastifyRequest, _reply: FastifyReply, payload) => {
      const hold = this.holding.get(request);
      if (!hold) return payload;
      const counted = payload.pipe(
        new Transform({
          transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
            // Answered already (e.g. 413): Node drains the rest of the body, which nobody holds.
            if (hold.released) {
              callback();
              return;
            }
            hold.received += chunk.length;
            const beyond = hold.received - hold.bytes;
            if (beyond > 0) {
              if (this.held + beyond > this.limit) {
                callback(this.refusal(hold.received));
                return;
              }
              hold.bytes += beyond;
              this.held += beyond;
            }
            (counted as { receivedEncodedLength?: number }).receivedEncodedLength = hold.received;
            callback(null, chunk);
          },
        }),
      );
      payload.on('error', (error) => counted.destroy(error));
      return counted;
    });
  }

  private release(request: FastifyRequest): void {
    const hold = this.holding.get(request);
    if (!hold) return;
    this.held -= hold.bytes;
    hold.bytes = 0;
    hold.released = true;
    this.holding.delete(request);
  }

  private refusal(bytes: number): HttpError {
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    return new HttpError(
      503,
      `the server is holding ${mib(this.held)} of request bodies; this one (${mib(bytes)} so far) would pass its limit of ${mib(this.limit)} (--max-receiving-mb); retry later`,
      // The rest of the body is not read, so the connection cannot carry another request.
      { 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' },
    );
  }
}
