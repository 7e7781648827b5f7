// Runs an ONNX model with onnxruntime-web (its WASM backend works in Node) for the Python trainer:
// Debian has no onnxruntime for Python, and this is the runtime the studio uses, so evaluating
// through it also proves the exported graph loads there.
// Protocol: one JSON line per request on stdin, {"inputs": {name: {"dims": [...], "b64": float32 LE}}};
// one JSON line per answer on stdout, {"outputs": {...}} or {"error": "..."}. First line out: {"ready": true, ...}.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as ort from 'onnxruntime-web';

const file = process.argv[2];
ort.env.wasm.numThreads = 1;
let session;
try {
  session = await ort.InferenceSession.create(new Uint8Array(readFileSync(file)), { executionProviders: ['wasm'] });
  process.stdout.write(JSON.stringify({ ready: true, inputs: session.inputNames, outputs: session.outputNames }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ error: `cannot load ${file}: ${err.message ?? err}` }) + '\n');
  process.exit(1);
}
const f32 = (b64) => { const b = Buffer.from(b64, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    const req = JSON.parse(line);
    const feeds = {};
    for (const [name, t] of Object.entries(req.inputs)) feeds[name] = new ort.Tensor('float32', f32(t.b64), t.dims);
    const res = await session.run(feeds);
    const outputs = {};
    for (const [name, t] of Object.entries(res)) outputs[name] = { dims: t.dims, b64: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64') };
    process.stdout.write(JSON.stringify({ outputs }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: String(err.message ?? err) }) + '\n');
  }
}
