#!/usr/bin/env python3
"""Checks every startup of a specs file with vLLM 0.33.0's real argument parser and config
classes on the CPU (../shared/tools/vllm-parse-check, stages 1-4, with `--gpus` = TP x PP so
the world-size check runs), before any GPU time is spent. The GPU runs use 0.24.0; this catches
arguments no current vLLM accepts. Writes SPECS-cpu-check.json beside the specs.

    python3 scripts/gpu/check_specs_cpu.py scripts/gpu/studio-tp-runs.json
"""
import json, os, shlex, subprocess, sys

specs_path = sys.argv[1]
specs = json.load(open(specs_path))
check = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "tools", "vllm-parse-check")
out = []
for run in specs["startups"]:
    model = specs["models"][run["model"]]["hf_id"].split(" (")[0]
    engine = run["engine"]
    words = ["--model", model]
    for k, v in engine.items():
        flag = "--" + k.replace("_", "-")
        if v is True:
            words.append(flag)
        elif v is False:
            continue
        elif isinstance(v, (dict, list)):
            words += [flag, json.dumps(v)]
        else:
            words += [flag, str(v)]
    gpus = engine.get("tensor_parallel_size", 1) * engine.get("pipeline_parallel_size", 1)
    r = subprocess.run([check, "--gpus", str(gpus), "--cmd", " ".join(shlex.quote(w) for w in words)],
                       capture_output=True, text=True)
    last = (r.stdout + r.stderr).strip().splitlines()[-1] if (r.stdout + r.stderr).strip() else ""
    out.append({"id": run["id"], "gpus": gpus, "command": " ".join(words), "exit": r.returncode,
                "verdict": last})
    print(run["id"], gpus, r.returncode, last, file=sys.stderr)
doc = {"source": "vllm==0.33.0 parser and config classes via shared/tools/vllm-parse-check --gpus N "
                 "(scripts/gpu/check_specs_cpu.py), no GPU", "specs": os.path.basename(specs_path),
       "results": out}
dest = specs_path.replace(".json", "-cpu-check.json")
json.dump(doc, open(dest, "w"), indent=1)
open(dest, "a").write("\n")
