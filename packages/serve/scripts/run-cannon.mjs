// Runs scripts/cannon.mjs (one autocannon run) in a process of its own, so
// the load generator never shares an event loop with the server it loads,
// and resolves with autocannon's result.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cannonScript = fileURLToPath(new URL('./cannon.mjs', import.meta.url));

/**
 * @param {string} url - The URL to POST to.
 * @param {string} contentType - The body's content type.
 * @param {string} bodyFile - A file holding the body's bytes.
 * @param {number} connections - Concurrent connections.
 * @param {number} seconds - Longest run.
 * @param {object} [extra] - `headers` and `maxOverallRequests`, as cannon.mjs takes them.
 * @returns {Promise<object>} autocannon's result.
 */
export function runCannon(url, contentType, bodyFile, connections, seconds, extra) {
  return new Promise((resolve, reject) => {
    const args = [cannonScript, url, contentType, bodyFile, String(connections), String(seconds), ...(extra ? [JSON.stringify(extra)] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited with ${code}`))));
  });
}
