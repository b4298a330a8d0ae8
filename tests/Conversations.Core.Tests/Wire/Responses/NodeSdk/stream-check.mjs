// stream-check.mjs - feeds SSE bodies made by ResponseStream to the official Node SDK (openai@7.55.0)
// through a local HTTP server and prints one JSON line per scenario, with what the SDK made of it.
//
//   CONV_SDK_DIR=/tmp/openai-node-sdk-7.55.0 node stream-check.mjs <folder of <scenario>.sse files>
//
// For each scenario it runs the stream helper (client.responses.stream(...).finalResponse()) and the raw
// stream (for await over responses.create({stream:true})), and prints
//   {"scenario","helper":{"result":"resolved"|"threw","status","output_text","output_ids","deltas","error","code"},
//    "raw":{"result":"ended"|"threw","events","error"}}
// The server answers POST /v1/responses with the file named by the x-scenario header, as OpenAI does:
// 200, text/event-stream, the bytes as written.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const sdkSpecifier = process.env.CONV_SDK_DIR
  ? pathToFileURL(path.resolve(process.env.CONV_SDK_DIR, 'node_modules/openai/index.mjs')).href
  : 'openai';
const { default: OpenAI } = await import(sdkSpecifier);

const folder = process.argv[2];
const scenarios = fs.readdirSync(folder).filter((f) => f.endsWith('.sse')).map((f) => f.slice(0, -4)).sort();

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const name = req.headers['x-scenario'];
    if (req.method !== 'POST' || req.url !== '/v1/responses' || !scenarios.includes(name)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no scenario ${name}`, type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(fs.readFileSync(path.join(folder, `${name}.sse`)));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${server.address().port}/v1`, maxRetries: 0 });
const described = (e) => `${e?.constructor?.name}: ${e?.message}`;

for (const scenario of scenarios) {
  const options = { headers: { 'x-scenario': scenario } };
  const helper = { deltas: '' };
  try {
    const stream = client.responses.stream({ model: 'm', input: 'hi' }, options);
    stream.on('response.output_text.delta', (e) => (helper.deltas += e.delta));
    const final = await stream.finalResponse();
    Object.assign(helper, {
      result: 'resolved',
      status: final.status,
      output_text: final.output_text,
      output_ids: final.output.map((item) => item.id),
    });
  } catch (e) {
    Object.assign(helper, { result: 'threw', error: described(e), code: e?.code ?? null });
  }
  const raw = { events: [] };
  try {
    const stream = await client.responses.create({ model: 'm', input: 'hi', stream: true }, options);
    for await (const event of stream) raw.events.push(event.type);
    raw.result = 'ended';
  } catch (e) {
    Object.assign(raw, { result: 'threw', error: described(e) });
  }
  console.log(JSON.stringify({ scenario, helper, raw }));
}
server.close();
