/**
 * onnxruntime's session-creation errors, turned into messages a person can act on. The raw
 * message is C++ source paths and a wall of text; the useful parts are which opset the model
 * needs and which the runtime has, or that the bytes are not a model at all.
 */
export function describeLoadError(raw: string, runtimeVersion = ''): string {
  const runtime = `onnxruntime-web${runtimeVersion ? ` ${runtimeVersion}` : ''}`;
  const needs = /opset (\d+) is under development|opset[^\d]{0,20}(\d+)[^.]*not supported|unsupported (?:onnx )?opset:? (\d+)/i.exec(raw);
  if (needs || /opset/i.test(raw)) {
    const version = needs?.slice(1).find(Boolean);
    const max = /support for domain ai\.onnx is till opset (\d+)/i.exec(raw)?.[1];
    return `the model needs operator set (opset) ${version ?? '?'} of ai.onnx, which this runtime (${runtime}) does not support${max ? `: it runs opsets up to ${max}` : ''}. Export the model again with a supported opset (e.g. torch.onnx.export(…, opset_version=${max ?? 17})).`;
  }
  if (/Aborted\(|prepare wasm|Failed to fetch|initializeWebAssembly|WebAssembly (?:SIMD|backend initializing)/i.test(raw))
    return `onnxruntime could not start its WebAssembly runtime (${firstLine(raw)}): the app's ort-wasm files did not load or compile. Reload the page; if it persists, check that the server sends the files under assets/.`;
  if (/protobuf|parse|Load model|failed to load|invalid model/i.test(raw)) return `not a valid ONNX model — the file is damaged, truncated or of another format (${runtime}: ${firstLine(raw)})`;
  return raw;
}

function firstLine(raw: string): string {
  // Drop onnxruntime's "file.cc:123 Function(...)" prefixes; keep the sentence.
  const line = raw.split('\n')[0].replace(/\S+\.(?:cc|h|cpp):\d+ [^ ]+\([^)]*\)[^ ]* ?/g, '').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
