"""What the tests build and compare against, never shipped and never imported by the product or the CLI:
tiny random-weight models of every family (tiny_models.py), a big synthetic model for memory benchmarks
(synthetic_model.py), and llama.cpp's greedy ids on the real models (real_model_oracle.py).
Importable as `harness` under pytest (tests/conftest.py puts tests/ on the path); each tool also runs as a
script: `python tests/harness/synthetic_model.py OUT.gguf`."""
