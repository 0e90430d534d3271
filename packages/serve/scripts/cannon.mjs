// One autocannon run in its own process, for load-test.mjs and
// bench/serve-batching.mjs: reads the request body from a file as bytes
// (the autocannon CLI reads it as UTF-8 text, which would corrupt float32
// bodies) and prints autocannon's result as JSON. The optional last
// argument is JSON with extra `headers` and `maxOverallRequests` (the run
// then stops at that many requests or after the seconds, whichever is first).
//
//   node cannon.mjs <url> <content-type> <body-file> <connections> <seconds> ['{"headers":{...},"maxOverallRequests":n}']
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, contentType, bodyFile, connections, seconds, extra] = process.argv.slice(2);
const { headers = {}, maxOverallRequests } = extra ? JSON.parse(extra) : {};
const result = await autocannon({
  url,
  method: 'POST',
  headers: { 'content-type': contentType, ...headers },
  body: readFileSync(bodyFile),
  connections: Number(connections),
  duration: Number(seconds),
  ...(maxOverallRequests ? { maxOverallRequests } : {}),
});
process.stdout.write(JSON.stringify(result));
