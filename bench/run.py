#!/usr/bin/env python3
"""The benchmark: renders CVs of growing size with the real cvpdf binary.

    bench/run.py [--cvpdf PATH] [--example FILE] [--layout NAME]
                 [--sizes 1,10,100] [--runs 15,7,3] [--untagged]

For each size: median wall time of the whole `cvpdf render` process over
repeated runs, peak RSS of one run, pages, PDF bytes, time per page, then
where the time goes inside one render (cvpdf render --timing).

--untagged adds what tagging costs: the same renders with
CVPDF_BENCH_UNTAGGED set (a switch for benchmarks only: no structure tree
and no marked content), their median CPU time (user + system) against the
tagged PDF's, and their bytes.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_once(cmd, env=None):
    """Wall time (s), peak RSS (KiB), stderr and CPU time (s) of one
    process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env=env)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("bench: %s failed:\n%s" % (" ".join(cmd), err.decode()))
    return wall, ru.ru_maxrss, err.decode(), ru.ru_utime + ru.ru_stime


def tag_cost(cmd, pdf, k):
    """Median CPU seconds and bytes of k tagged and k untagged renders,
    alternated so that both see the same load."""
    untagged = dict(os.environ, CVPDF_BENCH_UNTAGGED="1")
    cpu = {0: [], 1: []}
    size = {}
    for _ in range(k):
        for u in (0, 1):
            cpu[u].append(run_once(cmd, untagged if u else None)[3])
            size[u] = os.path.getsize(pdf)
    return (statistics.median(cpu[0]), size[0], statistics.median(cpu[1]),
            size[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cvpdf", default=os.environ.get("CVPDF_BIN",
                    os.path.join(HERE, "..", "build", "core", "cvpdf")))
    ap.add_argument("--example", default=os.path.join(HERE, "..", "examples",
                                                      "academic-cv.yaml"))
    ap.add_argument("--layout", default=None,
                    help="render with this layout instead of the CV's own")
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--runs", default="15,7,3")
    ap.add_argument("--untagged", action="store_true",
                    help="also measure what tagging costs")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    runs = [int(x) for x in a.runs.split(",")]
    runs += [runs[-1]] * (len(sizes) - len(runs))
    tmp = tempfile.mkdtemp(prefix="cvpdf-bench-")
    subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "--example",
                    a.example, tmp] + [str(s) for s in sizes], check=True,
                   stdout=subprocess.DEVNULL)
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    os.environ.update(env)
    rows, phases, costs = [], [], []
    for n, k in zip(sizes, runs):
        cv = os.path.join(tmp, "cv-%dx.yaml" % n)
        pdf = os.path.join(tmp, "cv-%dx.pdf" % n)
        lay = ["--layout", a.layout] if a.layout else []
        cmd = [a.cvpdf, "render", cv, "-o", pdf, "-q"] + lay
        run_once(cmd)  # warm the page cache
        walls, rss = [], 0
        for _ in range(k):
            w, r, _, _ = run_once(cmd)
            walls.append(w)
            rss = max(rss, r)
        if a.untagged:
            costs.append((n,) + tag_cost(cmd, pdf, k))
        _, _, err, _ = run_once([a.cvpdf, "render", cv, "-o", pdf, "--timing"]
                             + lay)
        m = re.search(r"\((\d+) pages?, (\d+) bytes\)", err)
        pages, size = int(m.group(1)), int(m.group(2))
        med = statistics.median(walls) * 1e3
        rows.append((n, pages, size, k, med, med / pages, rss / 1024))
        ph = dict((name.strip(), float(v)) for name, v in
                  re.findall(r"([a-z ]+) ([0-9.]+) ms", err))
        phases.append((n, ph))
    print("%s, layout %s" % (os.path.basename(a.example),
                             a.layout or "of the CV"))
    print("%-5s %6s %10s %5s %10s %9s %8s" % ("size", "pages", "PDF bytes",
          "runs", "median ms", "ms/page", "RSS MB"))
    for n, pages, size, k, med, per, rss in rows:
        print("%-5s %6d %10d %5d %10.1f %9.2f %8.1f" % ("%dx" % n, pages, size,
              k, med, per, rss))
    print()
    keys = [k for k in ("parse", "plugins", "shaping", "line breaking",
                        "build", "pages", "subset", "write")
            if any(k in ph for _, ph in phases)]
    print("%-5s " % "size" + " ".join("%10s" % k[:10] for k in keys)
          + "   (ms, one render; shaping and line breaking are part of build)")
    for n, ph in phases:
        print("%-5s " % ("%dx" % n) + " ".join("%10.2f" % ph.get(k, 0)
                                                for k in keys))
    if costs:
        print()
        print("%-5s %9s %9s %6s %10s %10s %6s   (CPU: median user + system)"
              % ("size", "CPU s", "untagged", "+%", "PDF bytes", "untagged",
                 "+%"))
        for n, ct, st, cu, su in costs:
            print("%-5s %9.3f %9.3f %6.1f %10d %10d %6.1f"
                  % ("%dx" % n, ct, cu, 100 * (ct / cu - 1), st, su,
                     100.0 * (st / su - 1)))


if __name__ == "__main__":
    main()
