#!/usr/bin/env python3
"""Records what vLLM 0.33.0's real parser says of the config files `vllm-profile export --target
config` writes: crates/core/tests/data/config-file-cases-0.33.0.json. Each case is a share link;
the file is exported by the CLI and passed as `vllm serve --config FILE` to
../shared/tools/vllm-parse-check (the real argument parser, installs ~9 GB; not in CI). The test
tests/config_file_cases.rs checks that today's export of each link is still the recorded text.

    cargo build -p vllm-profile && python3 scripts/facts/record_config_cases.py
"""
import json, os, shlex, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
CLI = os.path.join(ROOT, "target", "debug", "vllm-profile")
CHECK = os.path.join(ROOT, "..", "shared", "tools", "vllm-parse-check")
VENV_PY = os.path.expanduser("~/.cache/vllm-parse-check/venv-0.33.0/bin/python")
CASES = {
    "the reference profile, fixed": None,
    "negatives, a JSON flag, a removed default": (
        "v=1&model=Qwen/Qwen3-8B&enable-prefix-caching=false&enable-chunked-prefill=false"
        "&compilation-config=%7B%22mode%22%3A3%7D&max-model-len=32768&enforce-eager=true"
    ),
    "two nodes (the shared arguments)": (
        "v=1&model=Qwen/Qwen3-235B-A22B-FP8&gpu=h100-sxm&gpu-count=8&nodes=2"
        "&tensor-parallel-size=8&pipeline-parallel-size=2&enable-expert-parallel=true"
    ),
}

out = []
with tempfile.TemporaryDirectory() as work:
    for name, link in CASES.items():
        if link is None:
            fixed = subprocess.run([CLI, "fix", os.path.join(ROOT, "profiles", "medium.yml")],
                                   capture_output=True, text=True).stdout
            src = os.path.join(work, "fixed.yml")
            open(src, "w").write(fixed)
            link = subprocess.run([CLI, "import", src], capture_output=True, text=True).stdout.strip()
        d = os.path.join(work, str(len(out)))
        subprocess.run([CLI, "export", "--link", link, "--target", "config", "--out", d],
                       check=True, capture_output=True)
        config = open(os.path.join(d, "config.yaml")).read()
        r = subprocess.run([CHECK, "--cmd", f"--config {d}/config.yaml"], capture_output=True, text=True)
        # The same arguments as the command line export, as the real parser reads both.
        words = subprocess.run([CLI, "command", "--link", link], capture_output=True,
                               text=True).stdout
        words = shlex.split(words.replace("\\\n", " "))[2:]  # without `vllm serve`
        same = subprocess.run([VENV_PY, os.path.join(os.path.dirname(__file__), "same_namespace.py"),
                               f"{d}/config.yaml", *words], capture_output=True, text=True)
        out.append({"case": name, "link": link, "config": config, "exit": r.returncode,
                    "verdict": (r.stdout + r.stderr).strip().splitlines()[-1],
                    "same_as_command": (same.stdout.strip() or same.stderr.strip()[-300:])})
        print(name, r.returncode, out[-1]["verdict"], out[-1]["same_as_command"], file=sys.stderr)
doc = {"source": "vllm==0.33.0 argument parser via shared/tools/vllm-parse-check --cmd '--config FILE', "
                  "FILE written by `vllm-profile export --target config` (scripts/facts/record_config_cases.py)",
       "cases": out}
path = os.path.join(ROOT, "crates", "core", "tests", "data", "config-file-cases-0.33.0.json")
json.dump(doc, open(path, "w"), indent=1, ensure_ascii=False)
open(path, "a").write("\n")
