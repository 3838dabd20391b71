#!/usr/bin/env bash
# Builds the Python virtualenv the Python SDK test (PythonSdkTest) drives: the real langgraph_sdk 0.4.5 from the
# package index. Two of its requirements are not in this machine's PyPI index: langchain-protocol (only type names are
# imported at module load; a stand-in module answers them) and the exact langchain-core it pins (installed without its
# own requirement on langchain-protocol). Usage: .ci/sdk-venv.sh DIR; prints DIR/bin/python.
set -euo pipefail
dir="$1"
if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c "import langgraph_sdk" >/dev/null 2>&1; then
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q --retries 0 --no-deps langgraph-sdk==0.4.5 langchain-core
  "$dir/bin/pip" install -q --retries 0 httpx orjson "websockets>=14,<17" pydantic jsonpatch pyyaml tenacity typing-extensions \
    packaging langsmith
  site="$("$dir/bin/python" -c 'import site; print(site.getsitepackages()[0])')"
  mkdir -p "$site/langchain_protocol"
  printf '# Stand-in: langchain-protocol is not in the package index here; only type names are imported.\ndef __getattr__(name):\n    return dict\n' \
    > "$site/langchain_protocol/__init__.py"
  cp "$site/langchain_protocol/__init__.py" "$site/langchain_protocol/protocol.py"
fi
"$dir/bin/python" -c "import langgraph_sdk" >/dev/null
echo "$dir/bin/python"
