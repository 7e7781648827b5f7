"""ONNX inference for evaluation through onnxruntime-web in Node (see onnx_serve.mjs)."""
import base64
import json
import os
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


class OnnxRunner:
    def __init__(self, onnx_file: str):
        self.proc = subprocess.Popen(["node", os.path.join(HERE, "onnx_serve.mjs"), os.path.abspath(onnx_file)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HERE)
        hello = json.loads(self.proc.stdout.readline() or '{"error": "onnx_serve.mjs exited"}')
        if "error" in hello:
            raise RuntimeError(hello["error"])
        self.input_names, self.output_names = hello["inputs"], hello["outputs"]

    def run(self, _names, feeds: dict) -> list:
        req = {"inputs": {k: {"dims": list(v.shape), "b64": base64.b64encode(np.ascontiguousarray(v, dtype="<f4").tobytes()).decode()}
                          for k, v in feeds.items()}}
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        res = json.loads(self.proc.stdout.readline())
        if "error" in res:
            raise RuntimeError(res["error"])
        return [np.frombuffer(base64.b64decode(res["outputs"][n]["b64"]), dtype="<f4").reshape(res["outputs"][n]["dims"]) for n in self.output_names]

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
