#!/usr/bin/env python3
"""What one trainyard.log() call costs the training loop.

    PYTHONPATH=clients/python python3 clients/python/bench_log.py [--calls 200000] [--keys 2] [--url URL]

Logs to a real server (TRAINYARD_URL or --url), so the background thread is batching and posting
while the loop runs, as in training. --offline measures against the journal instead.
Prints the mean cost per call (whole loop / calls) and the distribution of single calls.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trainyard  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--calls", type=int, default=200000)
    p.add_argument("--keys", type=int, default=2, help="metrics per log() call")
    p.add_argument("--url")
    p.add_argument("--offline", action="store_true")
    a = p.parse_args()
    run = trainyard.init(project="bench", name="log-cost", url=a.url, mode="offline" if a.offline else None)
    keys = ["metric_%d" % i for i in range(a.keys)]
    log = run.log

    # Whole-loop cost: what the training loop pays on average.
    t0 = time.perf_counter()
    for i in range(a.calls):
        log({k: i * 0.5 for k in keys})
    loop = time.perf_counter() - t0

    # Single calls, each timed (the timer itself adds ~0.1 us).
    samples = []
    clock = time.perf_counter_ns
    for i in range(a.calls):
        d = {k: i * 0.25 for k in keys}
        s = clock()
        log(d)
        samples.append(clock() - s)
    t_finish = time.perf_counter()
    run.finish()
    finish = time.perf_counter() - t_finish
    samples.sort()

    def pct(q):
        return samples[min(len(samples) - 1, int(q * len(samples)))] / 1000

    print("log() with %d key(s), %d calls, %s" % (a.keys, a.calls, "offline journal" if a.offline else run.server_url))
    print("  mean per call (loop incl. building the dict): %.2f us" % (loop / a.calls * 1e6))
    print("  single call: p50 %.2f us  p90 %.2f us  p99 %.2f us  p99.9 %.1f us  max %.1f us"
          % (pct(0.5), pct(0.9), pct(0.99), pct(0.999), samples[-1] / 1000))
    print("  finish() (flush of what was left + end of run): %.2f s; %d points sent in %d HTTP requests"
          % (finish, run.points_sent, run._http.requests))


if __name__ == "__main__":
    main()
