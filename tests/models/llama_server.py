"""`python -m llama_cpp.server`, run as the tests run it: the model's weights kept in plain CPU buffers.

On Xeons with AMX, llama.cpp's repacked weight buffers crash the first decode
(https://github.com/ggml-org/llama.cpp/issues/20824), and the server has no option to avoid them; the embedded
backend's own workaround is applied around the server's `main`. Arguments are the server's own.
"""

import llama_cpp.llama_cpp as bindings
from llama_cpp.server.__main__ import main

from assistant.models.llamacpp import _plain_weight_buffers

if __name__ == "__main__":
    with _plain_weight_buffers(bindings):
        main()
