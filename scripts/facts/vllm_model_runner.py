#!/usr/bin/env python3
"""Generates crates/core/data/vllm-model-runner.json: per vLLM release, the facts the memory
estimate needs about how the release sizes the KV cache, read from each release's source.

- `v2_default`: which architectures get the V2 model runner (`vllm/v1/worker/gpu/`) by default:
  `[]` (none), a list (`DEFAULT_V2_MODEL_RUNNER_ARCHITECTURES` in `vllm/config/vllm.py`), or
  `"all"` when `VllmConfig.use_v2_model_runner` no longer consults an architecture list.
- `v2_profiles_cuda_graphs`: whether the V2 runner's `profile_cudagraph_memory()` estimates the
  CUDA-graph memory (false while it is a literal `return 0`: the graphs are then captured on top
  of the `gpu-memory-utilization` budget).
- `hybrid_kv_groups`: whether `vllm/v1/core/kv_cache_utils.py` (0.33.0: `kv_cache_planning.py`) groups layers of different
  attention types (`_get_kv_cache_groups_uniform_page_size` or its older name
  `_get_kv_cache_config_uniform_page_size`): sliding-window and recurrent layers then take only
  what they need instead of a full-length cache.

Reads the PyPI source distributions (the same cache `scripts/facts/vllm_envs.py` fills):
    python3 scripts/facts/vllm_model_runner.py ~/.cache/studio-vllm-sdists \
        > crates/core/data/vllm-model-runner.json
"""
import ast
import json
import os
import re
import sys
import tarfile


def member_text(tar, name):
    try:
        return tar.extractfile(name).read().decode("utf-8")
    except (KeyError, AttributeError):
        return None


def v2_default(config_src):
    if config_src is None or "def use_v2_model_runner" not in config_src:
        return []
    body = config_src.split("def use_v2_model_runner", 1)[1].split("\n    def ", 1)[0]
    if "_is_default_v2_model_runner_model" not in body:
        return "all"
    match = re.search(r"DEFAULT_V2_MODEL_RUNNER_ARCHITECTURES\s*=\s*frozenset\(\s*(\{.*?\})\s*\)",
                      config_src, re.S)
    return sorted(ast.literal_eval(match.group(1))) if match else []


def v2_profiles_graphs(runner_src):
    if runner_src is None or "def profile_cudagraph_memory" not in runner_src:
        return False
    body = runner_src.split("def profile_cudagraph_memory", 1)[1].split("\n    def ", 1)[0]
    # The method's own lines: comments and the next method's decorators are not code.
    code = [line.strip() for line in body.splitlines()[1:]
            if line.strip() and not line.strip().startswith(("#", "@"))]
    return code != ["return 0"]


def release_key(name):
    version = name[len("vllm-"):-len(".tar.gz")]
    parts = [int(p) if p.isdigit() else p for p in re.split(r"[.]", version)]
    return [p if isinstance(p, int) else 0 for p in parts], version


def main(folder):
    releases = {}
    files = sorted((f for f in os.listdir(folder) if f.startswith("vllm-") and f.endswith(".tar.gz")),
                   key=lambda f: release_key(f)[0])
    for file in files:
        version = release_key(file)[1]
        with tarfile.open(os.path.join(folder, file)) as tar:
            root = f"vllm-{version}/vllm/"
            config = member_text(tar, root + "config/vllm.py")
            runner = member_text(tar, root + "v1/worker/gpu/model_runner.py")
            # 0.33.0 moved the grouping to kv_cache_planning.py.
            utils = (member_text(tar, root + "v1/core/kv_cache_utils.py") or "") + (
                member_text(tar, root + "v1/core/kv_cache_planning.py") or "")
        releases[version] = {
            "v2_default": v2_default(config),
            "v2_profiles_cuda_graphs": v2_profiles_graphs(runner),
            "hybrid_kv_groups": "_uniform_page_size(" in utils,
        }
    json.dump({
        "source": "scripts/facts/vllm_model_runner.py over the PyPI source distribution of each "
                  "release: vllm/config/vllm.py (VllmConfig.use_v2_model_runner, "
                  "DEFAULT_V2_MODEL_RUNNER_ARCHITECTURES), vllm/v1/worker/gpu/model_runner.py "
                  "(profile_cudagraph_memory), vllm/v1/core/kv_cache_utils.py or kv_cache_planning.py (grouping of "
                  "layers by attention type)",
        "releases": releases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(os.path.expanduser(sys.argv[1] if len(sys.argv) > 1 else "~/.cache/studio-vllm-sdists"))
