"""Model cards (docs/MODELS.md): the JSON that tells the studio how to feed an ONNX graph."""
import json

import onnx

SCHEMA = "path-studio-model-card/v1"
PLANNER_MEAN, PLANNER_STD = [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]


def io_of(onnx_file: str):
    """The graph's inputs/outputs as card entries (name, dtype, shape with symbolic dims as null)."""
    m = onnx.load(onnx_file)
    def entries(values):
        out = []
        for v in values:
            dims = [d.dim_value if d.HasField("dim_value") else None for d in v.type.tensor_type.shape.dim]
            out.append({"name": v.name, "dtype": "float32", "shape": dims})
        return out
    init = {i.name for i in m.graph.initializer}
    return entries([v for v in m.graph.input if v.name not in init]), entries(m.graph.output), m.opset_import[0].version


def write_card(path: str, card: dict) -> None:
    with open(path, "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
