// Network: ONNX import, graph, block detection, datasets.
