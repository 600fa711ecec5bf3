#!/usr/bin/env python3
"""Speed against the floor, in one run (issue 12): builds nothing, reads what scripts/bench
made. Serves the studio's dist and the floor's dist on loopback, alternates their measurements
with ../shared/perf/measure.py (fresh profile per load), and prints the figures and the ratios:
form ready after navigation, edit → YAML and edit → next frame, each the median. A benchmark, never a test.
The studio's form is on the page twice over: first the prerendered first paint (crates/web/src/
first_paint.rs), then the app's own once it has started; "form ready" is measure.py's figure (the
field in the DOM, so the first paint), and "form live" the same measurement with a selector only
the app's field matches (the first paint's top-level nodes carry `data-first-paint`).
    python3 scripts/perf_ratios.py STUDIO_DIST FLOOR_DIST [--loads 5] [--edits 10]
"""
import argparse, json, os, socket, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
MEASURE = os.path.join(HERE, "../../shared/perf/measure.py")
FORM = '[data-testid="param-max-model-len"]'
LIVE = 'main:not([data-first-paint]) [data-testid="param-max-model-len"]'
OUT = '[data-testid="compose-yaml"]'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(directory):
    port = free_port()
    p = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                          "--directory", directory], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return p, f"http://127.0.0.1:{port}/"


def measure(name, url, loads, edits, results, form=FORM):
    subprocess.run([sys.executable, MEASURE, name, url, form, OUT, "65536,131072", "--loads",
                    str(loads), "--edits", str(edits), "--no-react", "--settle", "1"],
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PERF_RESULTS": results})
    d = json.load(open(os.path.join(results, f"{name}.json")))
    form = statistics.median(l["perf"]["formReady"] for l in d["loads"])
    # When the main wasm (the one fetched before start; split modules end in other names) had
    # arrived: what is left of form ready is compiling it and the app's first task.
    fetched = [max(r["responseEnd"] for r in l["res"] if r["name"].endswith("_bg.wasm"))
               for l in d["loads"]]
    after = statistics.median(l["perf"]["formReady"] - t for l, t in zip(d["loads"], fetched))
    edit = statistics.median([e["dom_ms"] for e in d["edits"] if e["dom_ms"] is not None] or [0])
    frame = statistics.median([e["frame_ms"] for e in d["edits"] if e["frame_ms"] is not None] or [0])
    return form, edit, frame, after, statistics.median(fetched)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("studio"); ap.add_argument("floor")
    ap.add_argument("--loads", type=int, default=5); ap.add_argument("--edits", type=int, default=10)
    a = ap.parse_args()
    results = tempfile.mkdtemp(prefix="perf-")
    servers = [serve(a.studio), serve(a.floor)]
    try:
        figures = {"studio": [], "floor": []}
        live = []
        # Alternate the two, twice, so drift hits both alike.
        for _ in range(2):
            for (name, (_, url)) in zip(["studio", "floor"], servers):
                figures[name].append(measure(name, url, a.loads, a.edits, results))
            live.append(measure("live", servers[0][1], a.loads, 0, results, LIVE)[0])
        s = [statistics.median(x[i] for x in figures["studio"]) for i in range(5)]
        f = [statistics.median(x[i] for x in figures["floor"]) for i in range(5)]
        print(f"form ready after navigation: studio {s[0]:.0f} ms, floor {f[0]:.0f} ms, "
              f"ratio {s[0] / f[0]:.2f}x (target <= 1.5x)")
        print(f"  the studio's form is its prerendered first paint until the app takes it over")
        lv = statistics.median(live)
        print(f"form live (the app's own field): studio {lv:.0f} ms, floor {f[0]:.0f} ms, "
              f"ratio {lv / f[0]:.2f}x; the studio's main wasm fetched at {s[4]:.0f} ms, "
              f"the floor's at {f[4]:.0f} ms, its form {f[3]:.0f} ms after")
        print(f"edit -> YAML updated:        studio {s[1]:.2f} ms, floor {f[1]:.2f} ms, "
              f"ratio {s[1] / f[1]:.2f}x (target <= 1.5x)")
        print(f"edit -> next frame:          studio {s[2]:.2f} ms, floor {f[2]:.2f} ms "
              f"(one frame: 16 ms)")
    finally:
        for p, _ in servers:
            p.terminate()


if __name__ == "__main__":
    main()
