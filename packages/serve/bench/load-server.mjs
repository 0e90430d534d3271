// One server of bench/load.mjs in a process of its own: imports
// `serveModels` from the given module (this package's dist, or the old
// `@aekit/export-onnx` dist that served before the split), serves the
// model directory on a free loopback port, prints the URL and waits for
// SIGTERM.
//
//   node load-server.mjs <module> '<options as JSON>' <model dir>
import { pathToFileURL } from 'node:url';

const [module, options, dir] = process.argv.slice(2);
const { serveModels } = await import(pathToFileURL(module).href);
const running = await serveModels([dir], { port: 0, host: '127.0.0.1', ...JSON.parse(options) });
process.stdout.write(`${running.url}\n`);
process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
