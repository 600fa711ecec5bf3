#!/usr/bin/env python3
"""Copies published Hugging Face config.json files into crates/core/data/model-configs/.

huggingface.co cannot be reached from this workplace, but NVIDIA's `aiconfigurator` package on
PyPI ships the config.json files of the models it plans for, byte for byte as their model pages
publish them (`aiconfigurator/model_configs/<org>--<name>_config.json`; two of them were compared
with independent copies of the same files: identical). This script downloads the pinned wheels
from PyPI, checks their sha256, copies the chosen files verbatim and records each one's source in
model-configs/SOURCES.json (entries of other origins are kept as they are).

    python3 scripts/facts/model_configs_aiconfigurator.py

Chosen: the models people serve with vLLM whose attention family the estimator sizes (dense, MoE,
MLA, sliding window, Gated DeltaNet and Mamba-2 hybrids). Left out on purpose: vision-language
checkpoints whose vision tower is large (Qwen3-VL, Llama 4), DeepSeek V3.2 / V4 and GLM-5 (sparse
attention indexers with a cache of their own), and NVIDIA ModelOpt checkpoints whose quantization
lives in a second file (hf_quant_config.json) the catalog does not read yet; Nemotron-H, whose
MLP-only, MoE and Mamba layers (`hybrid_override_pattern`) with a non-gated relu² MLP the weights
model does not follow yet (its KV and state are sized right from a pasted config).
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "core", "data", "model-configs")

# version -> sha256 of the wheel PyPI serves (pip download aiconfigurator==V --no-deps).
WHEELS = {
    "0.10.0": "4abed631f3a6eef9b74cefb8f0a23f90bce467c2e2fc52ae76519a2b27bcdce3",
    "0.7.0": "d7736969835de57fd467c318e3fb85fc7251486ac60e7d794e4cfad1a403086d",
}

# model id -> aiconfigurator version holding its config.json (0.10.0 unless it was dropped there).
MODELS = {
    "meta-llama/Meta-Llama-3.1-8B": "0.10.0",
    "meta-llama/Meta-Llama-3.1-70B": "0.10.0",
    "meta-llama/Meta-Llama-3.1-405B": "0.10.0",
    "meta-llama/Llama-2-7b-hf": "0.7.0",
    "meta-llama/Llama-2-13b-hf": "0.7.0",
    "meta-llama/Llama-2-70b-hf": "0.7.0",
    "Qwen/Qwen2.5-1.5B": "0.7.0",
    "Qwen/Qwen2.5-7B": "0.7.0",
    "Qwen/Qwen2.5-32B": "0.7.0",
    "Qwen/Qwen2.5-72B": "0.7.0",
    "Qwen/Qwen3-235B-A22B": "0.10.0",
    "Qwen/Qwen3-30B-A3B-FP8": "0.10.0",
    "Qwen/Qwen3-32B-FP8": "0.10.0",
    "Qwen/Qwen3-Coder-480B-A35B-Instruct": "0.10.0",
    "Qwen/Qwen3.5-27B": "0.10.0",
    "Qwen/Qwen3.5-35B-A3B": "0.10.0",
    "Qwen/Qwen3.5-397B-A17B": "0.10.0",
    "mistralai/Mixtral-8x7B-v0.1": "0.7.0",
    "mistralai/Mixtral-8x22B-v0.1": "0.7.0",
    "deepseek-ai/DeepSeek-V3": "0.10.0",
    "deepseek-ai/DeepSeek-R1": "0.10.0",
    "openai/gpt-oss-120b": "0.10.0",
    "MiniMaxAI/MiniMax-M2.5": "0.10.0",
    "XiaomiMiMo/MiMo-7B-Base": "0.10.0",
}


def wheel(version, work):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"aiconfigurator=={version}", "--no-deps",
         "-q", "-d", os.path.join(work, version)],
        check=True,
    )
    (name,) = os.listdir(os.path.join(work, version))
    path = os.path.join(work, version, name)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != WHEELS[version]:
        sys.exit(f"{name}: sha256 {digest}, expected {WHEELS[version]}")
    return name, zipfile.ZipFile(path)


def main():
    sources_path = os.path.join(ROOT, "SOURCES.json")
    sources = json.load(open(sources_path))
    with tempfile.TemporaryDirectory() as work:
        wheels = {v: wheel(v, work) for v in WHEELS}
        for model, version in MODELS.items():
            name, zf = wheels[version]
            member = f"aiconfigurator/model_configs/{model.replace('/', '--')}_config.json"
            text = zf.read(member)
            json.loads(text)  # a config that does not parse is not copied
            file = model.replace("/", "--") + ".json"
            open(os.path.join(ROOT, file), "wb").write(text)
            sources["models"][model] = {
                "file": file,
                "source": f"config.json of huggingface.co/{model} as published, shipped verbatim "
                f"in NVIDIA aiconfigurator {version} on PyPI ({name}, sha256 "
                f"{WHEELS[version][:16]}…) at {member}",
            }
    with open(sources_path, "w") as out:
        json.dump(sources, out, indent=1, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
