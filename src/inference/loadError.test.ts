import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { describeLoadError } from './loadError';
import { tinyPlanner } from '../testing/testCards';
import { errorMessage } from '../core/errorMessage';

/** Real onnxruntime messages (the native runtime shares the web one's graph loader). */
async function rawError(bytes: Uint8Array): Promise<string> {
  try {
    await (await ort.InferenceSession.create(bytes)).release();
  } catch (err) {
    return errorMessage(err);
  }
  throw new Error('the model loaded');
}

describe('describeLoadError', () => {
  it('names the opset the model needs and the newest the runtime runs', async () => {
    const msg = describeLoadError(await rawError(tinyPlanner(99).onnx), '1.30.0');
    expect(msg).toMatch(/^the model needs operator set \(opset\) 99 of ai\.onnx, which this runtime \(onnxruntime-web 1\.30\.0\) does not support: it runs opsets up to \d+\./);
    expect(msg).not.toMatch(/\.cc:|\.h:/);
  });

  it('calls bytes that are not a model damaged, without the C++ source locations', async () => {
    const { onnx } = tinyPlanner();
    const msg = describeLoadError(await rawError(onnx.subarray(0, onnx.length - 40)));
    expect(msg).toMatch(/^not a valid ONNX model — the file is damaged, truncated or of another format/);
    expect(msg).not.toMatch(/\.cc:\d+|\.h:\d+/);
  });

  it('passes other messages through', () => {
    expect(describeLoadError('out of memory')).toBe('out of memory');
  });
});

describe('describeLoadError, runtime start', () => {
  it('says the runtime itself did not start when its WASM cannot be fetched', () => {
    const msg = describeLoadError('Aborted(TypeError: Failed to fetch). Build with -sASSERTIONS for more info.', '1.30.0');
    expect(msg).toMatch(/^onnxruntime could not start its WebAssembly runtime \(Aborted\(TypeError: Failed to fetch\)/);
  });
});
