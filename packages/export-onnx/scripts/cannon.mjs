// One autocannon run in its own process, for load-test.mjs: reads the
// request body from a file as bytes (the autocannon CLI reads it as UTF-8
// text, which would corrupt float32 bodies) and prints autocannon's result
// as JSON.
//
//   node cannon.mjs <url> <content-type> <body-file> <connections> <seconds>
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, contentType, bodyFile, connections, seconds] = process.argv.slice(2);
const result = await autocannon({
  url,
  method: 'POST',
  headers: { 'content-type': contentType },
  body: readFileSync(bodyFile),
  connections: Number(connections),
  duration: Number(seconds),
});
process.stdout.write(JSON.stringify(result));
