/**
 * Hand-encoded minimal ONNX models (protobuf wire format, onnx.proto field numbers). The runtime
 * creates its first session from one to fetch and compile onnxruntime's WASM before any real model
 * has arrived; tests build bad models with it (an operator set the runtime lacks) instead of
 * committing binaries. Only what a small float graph needs: nodes without attributes, float32
 * inputs, outputs and constant tensors (initializers) with fixed or named dimensions.
 */

export interface TinyValue {
  name: string;
  /** Numbers are fixed dimensions; strings are named (free) ones. */
  shape: (number | string)[];
}
export interface TinyNode {
  opType: string;
  inputs: string[];
  outputs: string[];
}
/** A constant float32 tensor stored in the graph. */
export interface TinyInitializer {
  name: string;
  dims: number[];
  values: number[];
}
export interface TinyModel {
  /** Version of the default ("ai.onnx") operator set the model declares. */
  opset: number;
  nodes: TinyNode[];
  inputs: TinyValue[];
  outputs: TinyValue[];
  initializers?: TinyInitializer[];
  /** ONNX IR version; 8 matches opset 13–18. */
  irVersion?: number;
}

const FLOAT = 1; // TensorProto.DataType.FLOAT

// ---- protobuf wire format: varints and length-delimited fields ----
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const intField = (field: number, n: number) => [...varint(field << 3), ...varint(n)];
const bytesField = (field: number, bytes: number[]) => [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
const stringField = (field: number, s: string) => bytesField(field, [...new TextEncoder().encode(s)]);

// ---- onnx.proto messages ----
const dimension = (d: number | string) => (typeof d === 'number' ? intField(1, d) : stringField(2, d)); // dim_value | dim_param
const valueInfo = (v: TinyValue) => [
  ...stringField(1, v.name),
  // TypeProto.tensor_type { elem_type, shape { dim… } }
  ...bytesField(2, bytesField(1, [...intField(1, FLOAT), ...bytesField(2, v.shape.flatMap((d) => bytesField(1, dimension(d))))])),
];
const initializer = (t: TinyInitializer) => [
  ...t.dims.flatMap((d) => intField(1, d)),
  ...intField(2, FLOAT),
  ...stringField(8, t.name),
  ...bytesField(9, [...new Uint8Array(Float32Array.from(t.values).buffer)]), // raw_data, little-endian
];
const node = (n: TinyNode, i: number) => [
  ...n.inputs.flatMap((s) => stringField(1, s)),
  ...n.outputs.flatMap((s) => stringField(2, s)),
  ...stringField(3, `${n.opType.toLowerCase()}_${i}`),
  ...stringField(4, n.opType),
];

/** The ModelProto bytes of `model`. */
export function encodeTinyOnnx(model: TinyModel): Uint8Array {
  const graph = [
    ...model.nodes.flatMap((n, i) => bytesField(1, node(n, i))),
    ...stringField(2, 'tiny'),
    ...(model.initializers ?? []).flatMap((t) => bytesField(5, initializer(t))),
    ...model.inputs.flatMap((v) => bytesField(11, valueInfo(v))),
    ...model.outputs.flatMap((v) => bytesField(12, valueInfo(v))),
  ];
  return new Uint8Array([
    ...intField(1, model.irVersion ?? 8), // ir_version
    ...stringField(2, 'path-studio'), // producer_name
    ...bytesField(7, graph), // graph
    ...bytesField(8, [...stringField(1, ''), ...intField(2, model.opset)]), // opset_import { domain "", version }
  ]);
}

/** y = Identity(x) on one float: the smallest graph every onnxruntime build can run. */
export const IDENTITY_MODEL: TinyModel = { opset: 13, nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', shape: [1] }], outputs: [{ name: 'y', shape: [1] }] };
