#!/usr/bin/env python3
"""Robustness sweep (issue 5): runs `borging scan` over every document of the shared corpus,
one process per file, and checks that each one ends as one row, without a panic, within the
deadline plus a second and under a memory bound; then runs one scan over the whole folder,
and `pdftotext` over the same files for comparison.

Run by hand (it needs ../shared/corpus and, for the comparison, poppler's pdftotext; CI
runs neither):

    python3 scripts/sweep.py                      # builds target/release/borging first
    python3 scripts/sweep.py --bin target/debug/borging --timeout 30 --max-rss-mib 1024
    python3 scripts/sweep.py --corpus /work/shared/corpus --isolate   # from a worktree

Peak memory is the child's maximum resident set as reported by wait4(2), so no external
`time` tool is needed. Exit status: 0 when every check passes, 1 when any fails, 0 with a
message when the corpus is absent.
"""

import argparse
import csv
import io
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCUMENT_SUFFIXES = {".pdf", ".txt", ".md", ".markdown"}


def run_measured(argv, hang_after):
    """Runs argv; returns (exit code or -signal, seconds, peak RSS in KiB, stdout, stderr).
    The child is killed after `hang_after` seconds (a hang guard, reported as such)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        timer = threading.Timer(hang_after, lambda: proc.send_signal(signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return proc.returncode, seconds, usage.ru_maxrss, out.read(), err.read()


def documents(corpus):
    return sorted(
        p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
    )


def read_rows(data):
    text = data.decode("utf-8", errors="replace")
    return list(csv.DictReader(io.StringIO(text)))


def build_release():
    print("sweep: cargo build --release", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return REPO / "target" / "release" / "borging"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--bin", type=Path, help="the borging binary (default: build release)")
    parser.add_argument("--timeout", type=float, default=30.0, help="--timeout per document")
    parser.add_argument("--max-rss-mib", type=float, default=1024.0, help="memory bound")
    parser.add_argument("--no-pdftotext", action="store_true", help="skip the comparison")
    parser.add_argument("--isolate", action="store_true", help="scan with --isolate")
    args = parser.parse_args()

    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"sweep: skipped: no corpus at {corpus}")
        return 0
    files = documents(corpus)
    if not files:
        print(f"sweep: skipped: no documents in {corpus}")
        return 0
    binary = args.bin.resolve() if args.bin else build_release()
    limit_s = args.timeout + 1.0
    limit_kib = args.max_rss_mib * 1024
    hang_after = args.timeout + 60.0
    failures = []
    results = []

    print(f"{'status':9} {'pages':>5} {'words':>7} {'sec':>6} {'MiB':>6}  file")
    with tempfile.TemporaryDirectory() as tmp:
        out_csv = Path(tmp) / "out.csv"
        for path in files:
            name = str(path.relative_to(corpus))
            argv = [str(binary), "scan", str(path), "-o", str(out_csv), "--no-progress",
                    "--timeout", str(args.timeout)] + (["--isolate"] if args.isolate else [])
            code, seconds, rss, _, stderr = run_measured(argv, hang_after)
            rows = read_rows(out_csv.read_bytes()) if code == 0 and out_csv.exists() else []
            row = rows[0] if len(rows) == 1 else {}
            status = row.get("status", "-")
            results.append((name, status, row, seconds, rss))
            print(f"{status:9} {row.get('pages', '-'):>5} {row.get('words', '-'):>7} "
                  f"{seconds:6.2f} {rss / 1024:6.0f}  {name}")
            if code != 0:
                failures.append(f"{name}: exit {code}: {stderr.decode(errors='replace').strip()}")
            elif len(rows) != 1:
                failures.append(f"{name}: {len(rows)} rows instead of 1")
            elif "internal error" in row.get("error", "") or b"panicked" in stderr:
                failures.append(f"{name}: panic: {row.get('error', '')}")
            if seconds > limit_s:
                failures.append(f"{name}: {seconds:.1f} s, over the deadline plus 1 s")
            if rss > limit_kib:
                failures.append(f"{name}: peak memory {rss / 1024:.0f} MiB over the bound")
            if out_csv.exists():
                out_csv.unlink()

        # The whole folder in one run: every file must be a row, and the run must exit 0.
        argv = [str(binary), "scan", str(corpus), "-o", str(out_csv), "--no-progress",
                "--timeout", str(args.timeout)] + (["--isolate"] if args.isolate else [])
        code, folder_seconds, folder_rss, _, stderr = run_measured(argv, hang_after * 4)
        folder_rows = read_rows(out_csv.read_bytes()) if code == 0 else []
        if code != 0:
            failures.append(f"whole folder: exit {code}: {stderr.decode(errors='replace')}")
        seen = {Path(r["path"].lstrip("'")).resolve() for r in folder_rows}
        missing = [str(p.relative_to(corpus)) for p in files if p.resolve() not in seen]
        if len(folder_rows) != len(files) or missing:
            failures.append(f"whole folder: {len(folder_rows)} rows for {len(files)} files; "
                            f"missing: {missing[:10]}")
        if folder_rss > limit_kib:
            failures.append(f"whole folder: peak memory {folder_rss / 1024:.0f} MiB")

    by_status = {}
    for _, status, _, _, _ in results:
        by_status[status] = by_status.get(status, 0) + 1
    slowest = max(results, key=lambda r: r[3])
    hungriest = max(results, key=lambda r: r[4])
    print()
    print(f"files: {len(files)}; by status: "
          + ", ".join(f"{n} {s}" for s, n in sorted(by_status.items(), key=lambda x: -x[1])))
    print(f"per-file runs: {sum(r[3] for r in results):.1f} s in total; "
          f"slowest {slowest[0]} ({slowest[3]:.2f} s, status {slowest[1]}); "
          f"peak memory {hungriest[4] / 1024:.0f} MiB ({hungriest[0]})")
    print(f"whole folder: exit {code}, {len(folder_rows)} rows, {folder_seconds:.1f} s, "
          f"peak memory {folder_rss / 1024:.0f} MiB")

    if not args.no_pdftotext:
        pdfs = [p for p in files if p.suffix.lower() == ".pdf"]
        failed, total_s, slowest_p = [], 0.0, ("", 0.0)
        for path in pdfs:
            code, seconds, _, _, _ = run_measured(
                ["pdftotext", "-q", str(path), "/dev/null"], hang_after)
            total_s += seconds
            if seconds > slowest_p[1]:
                slowest_p = (str(path.relative_to(corpus)), seconds)
            if code != 0:
                failed.append(f"{path.relative_to(corpus)} (exit {code})")
        print(f"pdftotext: fails on {len(failed)} of {len(pdfs)} files; {total_s:.1f} s in "
              f"total; slowest {slowest_p[0]} ({slowest_p[1]:.2f} s)")
        for name in failed:
            print(f"  pdftotext failed: {name}")

    if failures:
        print(f"\nsweep FAILED: {len(failures)} problem(s)")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("\nsweep passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
