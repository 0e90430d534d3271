import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerLimits } from './limits.js';

/** The response being answered on a socket, while there is one. */
const CURRENT = Symbol('aekit.currentResponse');
/** `bytesRead` of a socket when its last request was answered: more since then are a request's head still arriving. */
const READ_BEFORE = Symbol('aekit.bytesReadBefore');
type TrackedSocket = Socket & { [CURRENT]?: { request: IncomingMessage; response: ServerResponse }; [READ_BEFORE]?: number };

/**
 * Makes a socket close without a reset after an answer that left its
 * request's body unread (a 503 or 413 sent before the body): Node would
 * close the socket as soon as the answer is written, and bytes of the body
 * the client is still sending would then make the kernel reset the
 * connection, which can throw away the answer before the client reads it.
 * Instead the server stops writing, reads and drops what still arrives,
 * and closes when the client does, when it falls silent for the idle
 * timeout, or after `lingerMs` at most (nginx's lingering close).
 */
function lingerAfterUnreadBodies(socket: TrackedSocket, lingerMs: number): void {
  const closeSoon = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    const current = socket[CURRENT];
    if (!current || current.request.complete) {
      closeSoon();
      return;
    }
    socket.end();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
    // The HTTP parser still reads the socket, into a request Node already discards.
    socket.resume();
  };
}

/** A 408 with a JSON body: the idle timeout's answer. */
function timeoutAnswer(idleTimeoutMs: number): { head: Record<string, string | number>; body: string } {
  const body = JSON.stringify({ error: `no bytes of the request arrived for ${idleTimeoutMs} ms; send the request without pauses` });
  return { head: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' }, body };
}

/**
 * Node's HTTP server with the timeouts that keep slow clients from holding
 * connections and memory:
 *
 * - `headersTimeoutMs`: the headers must arrive in time, else 408;
 * - `bodyTimeoutMs`: the whole request must arrive in time, else 408 (a
 *   body that trickles in byte by byte is cut off here);
 * - `idleTimeoutMs`: a connection silent that long while its request is
 *   still arriving gets 408 and is closed; an idle keep-alive connection is
 *   closed. Silence while the server computes an answer is not counted.
 *
 * An answer sent before its request's body was read (503, 413) is followed
 * by a lingering close, so the client reads it instead of a reset.
 *
 * Node checks the first two every `connectionsCheckingInterval`, set here
 * to a quarter of the shorter timeout (at most one second), so a 408 comes
 * close to when it is due.
 *
 * @param limits - The timeouts.
 * @param handler - The request handler (fastify's).
 */
export function createHttpServer(limits: ServerLimits, handler: RequestListener): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.bodyTimeoutMs,
      keepAliveTimeout: limits.idleTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.bodyTimeoutMs) / 4))),
    },
    (request, response) => {
      const socket = request.socket as TrackedSocket;
      socket[CURRENT] = { request, response };
      response.once('close', () => {
        if (socket[CURRENT]?.response !== response) return;
        delete socket[CURRENT];
        socket[READ_BEFORE] = socket.bytesRead;
      });
      handler(request, response);
    },
  );
  // The rest of a refused body is its request's, so it gets the time left for the whole request at most.
  server.on('connection', (socket: TrackedSocket) => lingerAfterUnreadBodies(socket, limits.bodyTimeoutMs));
  server.setTimeout(limits.idleTimeoutMs, (socket: TrackedSocket) => {
    const current = socket[CURRENT];
    // The client is waiting for an answer being computed: not its silence.
    if (current && current.request.complete) return;
    const { head, body } = timeoutAnswer(limits.idleTimeoutMs);
    if (current && !current.response.headersSent) {
      current.response.writeHead(408, head);
      current.response.end(body, () => socket.destroy());
      return;
    }
    // Part of a request's head arrived and then nothing (the headers timeout may not have fired yet): answer, don't just hang up.
    if (!current && socket.bytesRead > (socket[READ_BEFORE] ?? 0) && socket.writable) {
      const lines = Object.entries(head).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 408 Request Timeout\r\n${lines}\r\n${body}`, () => socket.destroy());
      return;
    }
    socket.destroy();
  });
  return server;
}
