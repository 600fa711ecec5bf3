#!/usr/bin/env python3
"""Generates crates/core/data/vllm-envs.json: the `VLLM_*` environment variables each published
vLLM release reads, from that release's own `vllm/envs.py` (its `environment_variables` table),
read statically with `ast` from the source distribution PyPI publishes (nothing is executed).

For a variable that a later release no longer reads, the last release that read it is searched
for a message naming a `--flag` that replaces it; the file and line are kept as the source.

Run once when the release list changes (network: pypi.org, files.pythonhosted.org):
    python3 scripts/facts/vllm_envs.py crates/core/data/pypi-releases.txt > crates/core/data/vllm-envs.json
Sdists are cached in ~/.cache/studio-vllm-sdists.
"""
import ast, io, json, os, re, sys, tarfile, urllib.request

CACHE = os.path.expanduser("~/.cache/studio-vllm-sdists")
SIMPLE = "https://pypi.org/simple/vllm/"


def sdist_urls():
    req = urllib.request.Request(SIMPLE, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    files = json.load(urllib.request.urlopen(req, timeout=120))["files"]
    return {f["filename"][len("vllm-"):-len(".tar.gz")]: f["url"] for f in files
            if f["filename"].endswith(".tar.gz")}


def sdist(version, urls):
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, f"vllm-{version}.tar.gz")
    if not os.path.exists(path):
        with urllib.request.urlopen(urls[version], timeout=600) as r, open(path + ".part", "wb") as f:
            f.write(r.read())
        os.rename(path + ".part", path)
    return path


def python_files(path):
    with tarfile.open(path) as t:
        for m in t.getmembers():
            parts = m.name.split("/")
            if m.isfile() and len(parts) > 2 and parts[1] == "vllm" and m.name.endswith(".py"):
                yield "/".join(parts[1:]), t.extractfile(m).read().decode("utf-8", "replace")


def env_names(source):
    """The keys of the module-level `environment_variables` dict literal."""
    tree = ast.parse(source)
    for node in tree.body:
        target = None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        if isinstance(target, ast.Name) and target.id == "environment_variables" and isinstance(value, ast.Dict):
            return sorted(k.value for k in value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
    return []


FLAG = re.compile(r"--[a-z][a-z0-9-]+")


SET_FROM_ENV = re.compile(r'_set_from_env_if_set\(\s*"(\w+)",\s*"(\w+)"')


def replacement(name, files):
    """A `--flag` that a message naming `name` points to (deprecation warnings), with file:line.
    `VLLM_ALLOW_*` variables only unlocked a deprecated flag, so they have no replacement."""
    if name.startswith("VLLM_ALLOW_"):
        return None, None
    for path, text in files:
        # Config classes that read a deprecated variable into a field
        # (AttentionConfig._set_from_env_if_set("backend", "VLLM_ATTENTION_BACKEND")) name the
        # dotted flag in their warning: --attention-config.backend.
        if path.startswith("vllm/config/"):
            for i, line in enumerate(text.splitlines()):
                m = SET_FROM_ENV.search(line)
                if m and m.group(2) == name:
                    config = path.rsplit("/", 1)[1][:-3].replace("_", "-") + "-config"
                    return f"--{config}.{m.group(1)}", f"{path}:{i + 1}"
    for path, text in files:
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if name not in line:
                continue
            window = " ".join(lines[max(0, i - 3): i + 4])
            if not re.search(r"deprecat|removed|use `?--|instead", window, re.I):
                continue
            flags = [f for f in FLAG.findall(window) if f not in ("--help",)]
            if flags:
                return flags[0], f"{path}:{i + 1}"
    return None, None


def main():
    releases = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
    releases.reverse()  # oldest first
    urls = sdist_urls()
    names_of = {}
    for v in releases:
        if v not in urls:
            print(f"no sdist for {v}", file=sys.stderr)
            continue
        envs = dict(python_files(sdist(v, urls))).get("vllm/envs.py", "")
        names_of[v] = env_names(envs) if envs else []
        print(f"{v}: {len(names_of[v])} variables", file=sys.stderr)
    order = list(names_of)
    variables = {}
    for i, v in enumerate(order):
        for n in names_of[v]:
            ranges = variables.setdefault(n, {"ranges": []})["ranges"]
            if ranges and ranges[-1][1] == order[i - 1]:
                ranges[-1][1] = v
            else:
                ranges.append([v, v])
    newest = order[-1]
    by_last = {}
    for n, facts in variables.items():
        last = facts["ranges"][-1][1]
        if last != newest:
            by_last.setdefault(last, []).append(n)
    # The newest release's flags, and its shorthands for dotted config keys
    # (`"--attention-backend", **attention_kwargs["backend"]` in arg_utils.py).
    newest_files = dict(python_files(sdist(newest, urls)))
    arg_utils = newest_files["vllm/engine/arg_utils.py"]
    known = set(re.findall(r'"(--[a-z0-9-]+)"', arg_utils))
    shorthand = {f"--{cfg.replace('_', '-')}-config.{field}": (flag, i + 1)
                 for i, line in enumerate(arg_utils.splitlines())
                 for flag, cfg, field in re.findall(r'"(--[a-z0-9-]+)",\s*\*\*(\w+)_kwargs\["(\w+)"\]', line)}
    for last, gone in by_last.items():
        files = list(python_files(sdist(last, urls)))
        for n in gone:
            flag, where = replacement(n, files)
            if flag in shorthand:
                short, line = shorthand[flag]
                where += f"; {short} is {newest}'s shorthand for it (vllm/engine/arg_utils.py:{line})"
                flag = short
            # Only a flag the newest release still has is a replacement worth naming.
            if flag and flag.split(".")[0] not in known and flag.split(".")[0] + "." not in known:
                flag = None
            if flag:
                variables[n]["replaced_by"] = flag
                variables[n]["replacement_source"] = f"vllm {last} sdist, {where}"
    json.dump({
        "source": "each release's vllm/envs.py `environment_variables`, read with ast from the "
                  "sdist on PyPI (files.pythonhosted.org); generated by scripts/facts/vllm_envs.py",
        "releases": order,
        "variables": dict(sorted(variables.items())),
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
