#!/usr/bin/env python3
"""Parses `vllm serve --config FILE` and `vllm serve WORDS…` with vLLM's real parser and prints
`same` when both give the same namespace (the `config` entry aside), else the differences.
Run with the vllm-parse-check venv's python (scripts/facts/record_config_cases.py does).

    python same_namespace.py CONFIG.yaml WORD…
"""
import contextlib, io, os, sys, warnings

os.environ.setdefault("VLLM_LOGGING_LEVEL", "ERROR")
warnings.simplefilter("ignore")
config, words = sys.argv[1], sys.argv[2:]
sys.argv = ["vllm", "serve"]
# The parse check's CUDA platform stand-in (no GPU here), from ../shared/tools.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "tools"))
from vllm_parse_check import install_platform  # noqa: E402

install_platform("cuda", None)
with contextlib.redirect_stderr(io.StringIO()):
    from vllm.entrypoints.cli.serve import ServeSubcommand
    from vllm.utils.argparse_utils import FlexibleArgumentParser


def parse(argv):
    top = FlexibleArgumentParser(prog="vllm")
    sub = top.add_subparsers(required=False, dest="subparser")
    ServeSubcommand().subparser_init(sub)
    ns = vars(top.parse_args(["serve", *argv]))
    ns.pop("config", None)
    if ns.get("model_tag"):
        ns["model"] = ns.pop("model_tag")
    ns.pop("model_tag", None)
    return ns


a, b = parse(["--config", config]), parse(words)
diff = {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}
print("same" if not diff else f"differs: {diff}")
