#!/usr/bin/env python3
"""Records what vLLM 0.33.0's real parser says of each argument list below, into
crates/core/tests/data/parser-cases-0.33.0.json (the rule tests compare our parser-stage
verdicts with it). Runs ../shared/tools/vllm-parse-check (installs vllm==0.33.0 once).
    python3 scripts/facts/record_parser_cases.py
"""
import json, os, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "../..")
TOOL = os.path.join(ROOT, "../shared/tools/vllm-parse-check")
MODEL = "--model Qwen/Qwen3-8B "

CASES = [
    # dotted sub-keys of JSON flags
    "--limit-mm-per-prompt.image 2",
    "--limit-mm-per-prompt.image 2 --limit-mm-per-prompt.video 1",
    "--compilation-config.mode 3",
    "--compilation-config.level 3",
    "--compilation-config.cudagraph_capture_sizes [1,2,4]",
    "--speculative-config.method ngram --speculative-config.num_speculative_tokens 3",
    "--hf-overrides.max_position_embeddings 65536",
    "--kv-transfer-config.kv_connector NixlConnector --kv-transfer-config.kv_role kv_both",
    "--kv-transfer-config.connector NixlConnector",
    "--attention-config.backend FLASH_ATTN",
    "--attention-config.frobnicate 1",
    # legacy key=value forms
    "--limit-mm-per-prompt image=4",
    "--limit-mm-per-prompt image=4,video=1",
    "--override-neuron-config a=1",
    # JSON config flags: known and unknown keys
    "--compilation-config '{\"mode\": 3}'",
    "--compilation-config '{\"foo\": 1}'",
    "--compilation-config 3",
    "--kv-transfer-config '{\"kv_connector\": \"NixlConnector\", \"kv_role\": \"kv_both\"}'",
    "--kv-transfer-config '{\"foo\": 1}'",
    "--kv-events-config '{\"enable_kv_cache_events\": true}'",
    "--kv-events-config '{\"zzz\": 1}'",
    "--speculative-config '{\"method\": \"ngram\", \"num_speculative_tokens\": 3}'",
    "--speculative-config '{\"foo\": 1}'",
    "--structured-outputs-config '{\"backend\": \"xgrammar\"}'",
    "--structured-outputs-config '{\"nope\": true}'",
    "--pooler-config '{\"pooling_type\": \"MEAN\"}'",
    "--limit-mm-per-prompt '{\"image\": 2}'",
    "--limit-mm-per-prompt '{\"anything\": 2}'",
    "--override-generation-config '{\"temperature\": 0.6}'",
    # counts
    "--tensor-parallel-size 0",
    "--tensor-parallel-size -2",
    "--pipeline-parallel-size 0",
    "--data-parallel-size 0",
    "--tensor-parallel-size 3",
    # values
    "--gpu-memory-utilization 1.5",
    "--max-model-len abc",
    "--max-model-len 32k",
]


# `VLLM_*` variables of compose files: read, removed (silently ignored) or never known; what the
# installed vllm==0.33.0 itself reads (`vllm.envs.environment_variables`).
ENV_CASES = [
    "VLLM_ATTENTION_BACKEND", "VLLM_USE_V1", "VLLM_ALL2ALL_BACKEND", "VLLM_LOGGING_LEVEL",
    "VLLM_HOST_IP", "VLLM_PORT", "VLLM_USE_MODELSCOPE", "VLLM_WORKER_MULTIPROC_METHOD",
    "VLLM_ALLOW_LONG_MAX_MODEL_LEN", "VLLM_FLASH_ATTN_VERSION", "VLLM_TORCH_PROFILER_DIR",
    "VLLM_MM_INPUT_CACHE_GIB", "VLLM_USE_FLASHINFER_MOE_FP8", "VLLM_FROBNICATE",
]
VENV_PYTHON = os.path.expanduser("~/.cache/vllm-parse-check/venv-0.33.0/bin/python")


def env_cases():
    script = ("import json, sys, vllm.envs as e; "
              "print(json.dumps({n: n in e.environment_variables for n in sys.argv[1:]}))")
    r = subprocess.run([VENV_PYTHON, "-c", script, *ENV_CASES], capture_output=True, text=True,
                       check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    out = []
    for case in CASES:
        r = subprocess.run([TOOL, "--cmd", MODEL + case], capture_output=True, text=True)
        last = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith(("ACCEPTED", "REJECTED"))]
        out.append({"args": case, "verdict": "accept" if r.returncode == 0 else "reject",
                    "exit": r.returncode, "says": (last[-1] if last else "")[:300]})
        print(case, "->", out[-1]["verdict"])
    path = os.path.join(ROOT, "crates/core/tests/data/parser-cases-0.33.0.json")
    with open(path, "w") as f:
        json.dump({"source": "../shared/tools/vllm-parse-check (vllm==0.33.0, real parser and "
                             "model-free validators), run by scripts/facts/record_parser_cases.py; "
                             "every case prefixed with `" + MODEL.strip() + "`",
                   "cases": out,
                   "env_read_by_0_33_0": env_cases()}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
