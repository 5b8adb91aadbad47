#!/usr/bin/env python3
"""papershelf's benchmark: clean builds against Hugo on the same generated digests, the
edit-to-reload latency of `papershelf serve`, and the full build of the public corpus.

    python3 bench/run.py                 # 1,000, 10,000 and 50,000 papers, 3 runs each
    python3 bench/run.py --sizes 1000,10000 --runs 5
    python3 bench/run.py --authors realistic --sizes 10000,100000 --no-hugo --no-serve --no-corpus
    python3 bench/run.py --authors realistic --sizes 10000,100000 --year --serve-size 100000
    python3 bench/run.py --authors realistic --sizes 10000 --hugo-full --no-serve --no-corpus

`--authors realistic` generates the corpora with ../shared/bench/gen_corpus.py's realistic
authorship (most authors on one paper, as in the real archives): what scale targets are
measured on. `--year` also builds a real-shaped year of daily-arXiv JSON Lines
(bench/gen_jsonl.py), and every build is checked against issue 23's budget.

It builds papershelf in release mode, generates each corpus with bench/gen_corpus.py (the same
papers for papershelf and Hugo), installs Debian's Hugo when absent, and runs clean builds
into fresh folders on tmpfs, alternating papershelf and Hugo (A/B) so both see the same
machine noise. It prints medians of wall time, CPU time and peak memory, with the ratio
Hugo/papershelf, and writes them to bench/results.md (quoted by the README).

Standard library only.
"""

import argparse
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(ROOT, "target", "release", "papershelf")
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "daily")
TMPFS = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
PER_DATE = 20
SHARED_GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
AUTHORS = "pool"
# Whether Hugo does the work papershelf's full site does (../shared/bench's `hugo-full`
# overlay: feeds for every term, related papers, a JSON search index).
HUGO_FULL = False
TIME = "/usr/bin/time"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run_measured(cmd):
    """Runs cmd; returns (wall s, cpu s, peak MiB) from the kernel's accounting (peak: GNU
    time's "Maximum resident set size" when /usr/bin/time is there, which is the same figure)."""
    timed = os.path.exists(TIME)
    full = [TIME, "-v"] + cmd if timed else cmd
    start = time.perf_counter()
    # stderr to a file, not a pipe: a build printing more than a pipe holds (the year's
    # warnings) would block on it while we wait for it to end.
    with tempfile.TemporaryFile() as log_file:
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=log_file)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        log_file.seek(0)
        err = log_file.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    peak = usage.ru_maxrss / 1024
    for line in err.splitlines():
        if "Maximum resident set size" in line:
            peak = int(line.split(":")[-1]) / 1024
    return wall, usage.ru_utime + usage.ru_stime, peak


def fresh_dir(name):
    path = os.path.join(TMPFS, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


def made_by(*scripts):
    """What a corpus's marker holds: the hash of the scripts that made it, so that a changed
    generator (or the other generator) makes the corpus again."""
    digest = hashlib.sha256()
    for script in scripts:
        with open(script, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def is_made(marker, made):
    if not os.path.exists(marker):
        return False
    with open(marker) as f:
        return f.read() == made


def mark(marker, made):
    with open(marker, "w") as f:
        f.write(made)


def generate(layout, papers):
    suffix = ("" if AUTHORS == "pool" else f"-{AUTHORS}") + ("-full" if layout == "hugo" and HUGO_FULL else "")
    out = os.path.join(TMPFS, f"papershelf-bench-{layout}-{papers}{suffix}")
    marker = os.path.join(out, ".complete")
    gen = os.path.join(HERE, "gen_corpus.py") if AUTHORS == "pool" and not HUGO_FULL else SHARED_GEN
    made = made_by(gen)
    if is_made(marker, made):
        return out
    shutil.rmtree(out, ignore_errors=True)
    dates = max(1, papers // PER_DATE)
    extra = [] if AUTHORS == "pool" else ["--authors", AUTHORS]
    if layout == "hugo" and HUGO_FULL:
        extra += ["--hugo-overlay", "hugo-full"]
    subprocess.run([sys.executable, gen, "--layout", layout, "--out", out,
                    "-D", str(dates), "-P", str(PER_DATE)] + extra, check=True, stdout=subprocess.DEVNULL)
    if layout == "native":
        with open(os.path.join(out, "site.toml"), "w") as f:
            f.write('title = "Bench"\nbase_url = "https://example.com/"\n')
    mark(marker, made)
    return out


def ensure_hugo():
    if shutil.which("hugo"):
        return shutil.which("hugo")
    log("installing Debian's hugo ...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True, env=env, stdout=subprocess.DEVNULL)
    return shutil.which("hugo")


def hugo_version(hugo):
    out = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    return out.split()[1] if out else "?"


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def bench_builds(sizes, runs, hugo):
    rows = []
    for papers in sizes:
        native = generate("native", papers)
        site_hugo = generate("hugo", papers) if hugo else None
        ours, theirs = [], []
        for i in range(runs):
            order = ["papershelf", "hugo"] if i % 2 == 0 else ["hugo", "papershelf"]
            for tool in order:
                if tool == "papershelf":
                    out = fresh_dir("papershelf-bench-out")
                    ours.append(run_measured([BIN, "--root", native, "build", "--output", out]))
                elif hugo:
                    out = fresh_dir("hugo-bench-out")
                    theirs.append(run_measured([hugo, "--quiet", "-s", site_hugo, "-d", out]))
        out_dir = os.path.join(TMPFS, "papershelf-bench-out")
        pages = sum(len(files) for _, _, files in os.walk(out_dir))
        row = {"papers": papers, "files": pages, "runs": ours, "ours": [median(c) for c in zip(*ours)], "index": index_figures(native),
               "size": output_size(out_dir)}
        if theirs:
            row["hugo"] = [median(c) for c in zip(*theirs)]
        rows.append(row)
        log(f"{papers} papers: papershelf {row['ours'][0]:.2f} s"
            + (f", hugo {row['hugo'][0]:.2f} s" if theirs else ""))
    return rows


def output_size(out):
    """The output's bytes in all, by top-level folder, and its largest HTML page."""
    total, by_dir, largest = 0, {}, (0, "")
    for d, _, files in os.walk(out):
        for f in files:
            path = os.path.join(d, f)
            size = os.path.getsize(path)
            total += size
            top = os.path.relpath(path, out).split(os.sep)[0]
            key = top if os.path.isdir(os.path.join(out, top)) and not top[:1].isdigit() else "days and other files"
            by_dir[key] = by_dir.get(key, 0) + size
            if f.endswith(".html") and size > largest[0]:
                largest = (size, os.path.relpath(path, out))
    return {"total": total, "by_dir": by_dir, "largest": largest}


def index_figures(site):
    """Size of the search index a build writes, and the time the build spends making it."""
    out = fresh_dir("papershelf-bench-index-out")
    proc = subprocess.run([BIN, "--root", site, "build", "--output", out], capture_output=True, text=True,
                          env=dict(os.environ, PAPERSHELF_TIMINGS="1"), check=True)
    ms = None
    for line in proc.stderr.splitlines():
        for part in line.split(", "):
            if part.startswith("search index"):
                ms = float(part.split()[-1])
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(out, "search")) for f in fs)
    files = sum(len(fs) for _, _, fs in os.walk(os.path.join(out, "search")))
    return {"bytes": size, "files": files, "ms": ms}


def bench_year(runs):
    """A real-shaped year of daily-arXiv JSON Lines (bench/gen_jsonl.py: 63,000 papers on 407
    days, realistic authorship, Chinese summaries beside English abstracts), built `runs` times."""
    site = os.path.join(TMPFS, "papershelf-bench-year")
    # gen_jsonl.py draws its words and names from gen_corpus.py beside it.
    marker = os.path.join(site, ".complete")
    generator = os.path.join(HERE, "gen_jsonl.py")
    made = made_by(generator, os.path.join(HERE, "gen_corpus.py"))
    if not is_made(marker, made):
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, generator, "--out", site], check=True, stdout=subprocess.DEVNULL)
        mark(marker, made)
    out = os.path.join(TMPFS, "papershelf-bench-year-out")
    times = [run_measured([BIN, "--root", site, "build", "--output", fresh_dir("papershelf-bench-year-out")])
             for _ in range(runs)]
    files = sum(len(fs) for _, _, fs in os.walk(out))
    return {"papers": "63,000 (real-shaped year)", "ours": [median(c) for c in zip(*times)], "files": files,
            "size": output_size(out)}


def budget_lines(rows):
    """Each build against GitHub Pages' budget: 1 GB, 250,000 files, 300 KB a page, 1.5 GiB."""
    lines = ["", "Against the budget of issue 23 (sum of file sizes ≤ 1 GB, ≤ 250,000 files, no page over 300 KB,"
                 " peak ≤ 1.5 GiB):", "",
             "| corpus | site MB | files | largest page KB | peak MiB | within |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        z, peak = r["size"], r["ours"][2]
        checks = [z["total"] <= 1e9, r["files"] <= 250_000, z["largest"][0] <= 300_000, peak <= 1536]
        names = ["bytes", "files", "page", "memory"]
        missed = [n for n, ok in zip(names, checks) if not ok]
        lines.append(f"| {r['papers'] if isinstance(r['papers'], str) else format(r['papers'], ',')} | {z['total'] / 1e6:.0f}"
                     f" | {r['files']:,} | {z['largest'][0] / 1e3:.0f} | {peak:.0f} | "
                     + ("yes" if not missed else "no: " + ", ".join(missed)) + " |")
    return lines


def bench_corpus(runs):
    if not os.path.isdir(CORPUS):
        log(f"skipped the real corpus: {CORPUS} is absent")
        return None
    site = os.path.join(TMPFS, "papershelf-bench-corpus")
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(site)
    shutil.copytree(CORPUS, os.path.join(site, "content"))
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write('title = "Corpus"\nbase_url = "https://example.com/"\n')
    times = [run_measured([BIN, "--root", site, "build", "--output", fresh_dir("papershelf-bench-corpus-out")])
             for _ in range(runs)]
    return [median(c) for c in zip(*times)] + [index_figures(site)]


class EventStream:
    """Reads `papershelf serve`'s Server-Sent Events over a raw socket."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /__papershelf/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.buffer = b""

    def wait(self, name, timeout=30):
        deadline = time.perf_counter() + timeout
        needle = f"event: {name}\n".encode()
        while needle not in self.buffer:
            self.sock.settimeout(max(0.01, deadline - time.perf_counter()))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            self.buffer += chunk
        self.buffer = self.buffer[self.buffer.index(needle) + len(needle):]
        return time.perf_counter()


def bench_serve(papers, edits):
    """Median ms from saving one paper file to the reload event, for text and title edits."""
    native = generate("native", papers)
    site = os.path.join(TMPFS, f"papershelf-bench-serve-{papers}")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(native, site)
    proc = subprocess.Popen([BIN, "--root", site, "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in proc.stdout:
            if line.startswith("serving http://127.0.0.1:"):
                port = int(line.split(":")[2].split("/")[0])
                break
        stream = EventStream(port)
        stream.wait("clean")
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content")) for f in fs)
        results = {}
        for kind in ("text", "title"):
            samples = []
            for i in range(edits):
                path = files[(i * 7919) % len(files)]
                with open(path) as f:
                    text = f.read()
                if kind == "text":
                    text = text.rstrip("\n") + f"\n\nEdited for the benchmark ({i}).\n"
                else:
                    text = text.replace('title = "', f'title = "Edited {i}: ', 1)
                time.sleep(0.3)
                start = time.perf_counter()
                with open(path, "w") as f:
                    f.write(text)
                samples.append((stream.wait("reload") - start) * 1000)
            results[kind] = median(samples)
            log(f"serve at {papers} papers, {kind} edit to reload: median {results[kind]:.1f} ms")
        return results
    finally:
        proc.terminate()
        proc.wait()


def write_results(path, builds, corpus, serve, hugo_ver, runs, edits, year=None):
    lines = ["# Benchmark results", "",
             f"Measured by `python3 bench/run.py` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores,"
             f" output on tmpfs, medians of {runs} clean builds alternated with Hugo {hugo_ver}"
             f"{' (hugo-full: feeds per term, related papers, a JSON index)' if HUGO_FULL else ''}"
             f" (A/B, same run); corpora generated with `--authors {AUTHORS}`.", "",
             "| papers | files | papershelf wall s | cpu s | peak MiB | Hugo wall s | cpu s | peak MiB | Hugo / papershelf (wall) | memory ratio |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in builds:
        w, c, m = r["ours"]
        if "hugo" in r:
            hw, hc, hm = r["hugo"]
            lines.append(f"| {r['papers']:,} | {r['files']:,} | {w:.2f} | {c:.2f} | {m:.0f} | {hw:.2f} | {hc:.2f} | {hm:.0f}"
                         f" | {hw / w:.1f}× | {m / hm:.2f} |")
        else:
            lines.append(f"| {r['papers']:,} | {r['files']:,} | {w:.2f} | {c:.2f} | {m:.0f} | – | – | – | – | – |")
    lines += ["", "Output size (GitHub Pages publishes at most 1 GB; no HTML page should pass 300 KB):", "",
              "| papers | site MB | papers/ | authors/ | tags/ | search/ | days and other files | largest page |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in builds:
        z = r["size"]
        mb = lambda k: f"{z['by_dir'].get(k, 0) / 1e6:.0f}"
        lines.append(f"| {r['papers']:,} | {z['total'] / 1e6:.0f} | {mb('papers')} | {mb('authors')} | {mb('tags')}"
                     f" | {mb('search')} | {mb('days and other files')} | {z['largest'][1]}: {z['largest'][0] / 1e3:.0f} KB |")
    lines += ["", "Search index (written by every build; a query fetches only a few of its files):", "",
              "| papers | index files | index MB | time to build and write it, ms (before the pages in a one-off build; alongside them in `serve`) |",
              "| ---: | ---: | ---: | ---: |"]
    for r in builds:
        ix = r["index"]
        lines.append(f"| {r['papers']:,} | {ix['files']:,} | {ix['bytes'] / 1e6:.1f} | {ix['ms']:.0f} |")
    if corpus:
        ix = corpus[3]
        lines.append(f"| 4,894 (real corpus) | {ix['files']:,} | {ix['bytes'] / 1e6:.1f} | {ix['ms']:.0f} |")
    by_size = {r["papers"]: r["ours"][0] for r in builds}
    for big in (50000, 100000):
        if 10000 in by_size and big in by_size:
            lines += ["", f"Growth: {big:,} papers take {by_size[big] / by_size[10000]:.2f}× the time of 10,000."]
    if year:
        w, c, m = year["ours"]
        lines += ["", f"Real-shaped year (`bench/gen_jsonl.py`, 63,000 papers, 407 days): {w:.2f} s wall, {c:.2f} s CPU,"
                      f" {m:.0f} MiB peak, {year['files']:,} files, {year['size']['total'] / 1e6:.0f} MB."]
    lines += budget_lines(builds + ([year] if year else []))
    if corpus:
        lines += ["", f"Real corpus (`../shared/corpus`, 4,894 papers, 300 days): clean build {corpus[0]:.2f} s wall,"
                      f" {corpus[1]:.2f} s CPU, {corpus[2]:.0f} MiB peak."]
    if serve:
        for papers, r in serve.items():
            lines += ["", f"`papershelf serve` at {papers:,} papers, from saving one paper file to the reload event"
                          f" (median of {edits} edits): {r['text']:.1f} ms for a text edit, {r['title']:.1f} ms for a"
                          " title edit (which renames its page and re-renders the lists showing it)."]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000", help="comma-separated paper counts")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--serve-size", type=int, default=10000)
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--authors", choices=["pool", "realistic"], default="pool",
                    help="the generator's authorship (realistic: ../shared/bench/gen_corpus.py)")
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--hugo-full", action="store_true",
                    help="Hugo with feeds per term, related papers and a JSON index (../shared/bench hugo-full)")
    ap.add_argument("--year", action="store_true",
                    help="also build a real-shaped year of daily-arXiv JSON Lines (bench/gen_jsonl.py)")
    args = ap.parse_args()
    global AUTHORS, HUGO_FULL
    AUTHORS = args.authors
    HUGO_FULL = args.hugo_full

    subprocess.run(["nice", "cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    hugo = None if args.no_hugo else ensure_hugo()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    builds = bench_builds(sizes, args.runs, hugo)
    corpus = None if args.no_corpus else bench_corpus(args.runs)
    year = bench_year(args.runs) if args.year else None
    serve = {} if args.no_serve else {args.serve_size: bench_serve(args.serve_size, args.edits)}
    write_results(args.out, builds, corpus, serve, hugo_version(hugo) if hugo else "(absent)", args.runs, args.edits,
                  year)


if __name__ == "__main__":
    main()
