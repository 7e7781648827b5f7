"""Path Studio reference trainer: HAMSTER-style planner and path-conditioned policy, exported to ONNX.

See training/README.md for the commands and docs/MODELS.md for the model card.
"""
