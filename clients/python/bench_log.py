#!/usr/bin/env python3
"""What wandb.log() costs the training loop, and how many points one client gets to a server.

    PYTHONPATH=clients/python python3 clients/python/bench_log.py [--keys 1,10,100] [--calls 100000]
        [--points 1000000] [--url URL | --offline]

Without --url it starts the packaged jar (target/trainyard-*.jar, as the tests do) on a free port with
a fresh data dir, and stops it at the end. For each number of keys per call:

1. latency: ``--calls`` single ``wandb.log`` calls (at most ``--latency-points`` points), each timed with perf_counter_ns (the dict is built
   outside the timed part), while the background thread batches and posts as in training: p50, p99,
   p99.9 and max in microseconds;
2. throughput: a loop that does nothing but ``wandb.log`` until it logged ``--points`` points, then
   ``wandb.finish()``; points/s = points / (first call .. finish() returned, i.e. all acknowledged):
   the rate the client's thread and the server sustain together. The server's stored count of one
   key is checked against what was logged.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import trainyard as wandb  # noqa: E402


def percentiles(samples_ns):
    samples_ns.sort()

    def pct(q):
        return samples_ns[min(len(samples_ns) - 1, int(q * len(samples_ns)))] / 1000

    return pct(0.5), pct(0.99), pct(0.999), samples_ns[-1] / 1000


def latency(keys, calls, url, mode):
    run = wandb.init(project="bench", name="log-latency-%dkeys" % keys, url=url, mode=mode)
    names = ["metric_%d" % i for i in range(keys)]
    for i in range(min(calls, 5000)):  # warm-up: first sight of each key takes the slow path
        wandb.log({k: i * 0.5 for k in names})
    samples = []
    clock, log = time.perf_counter_ns, wandb.log
    for i in range(calls):
        d = {k: i * 0.25 for k in names}
        s = clock()
        log(d)
        samples.append(clock() - s)
    wandb.finish()
    return percentiles(samples), run


def throughput(keys, points, url, mode, server):
    run = wandb.init(project="bench", name="log-throughput-%dkeys" % keys, url=url, mode=mode)
    names = ["metric_%d" % i for i in range(keys)]
    values = {k: 0.5 for k in names}
    log = wandb.log
    calls = max(1, points // keys)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(calls):
        log(values)
    logged = time.perf_counter() - t0
    wandb.finish()
    total = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    stored = None
    if server is not None and run.id and not run.offline:
        stored = server.history(run.id, names[-1])["total"]
    return calls, calls * keys, logged, total, cpu, run, stored


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--keys", default="1,10,100", help="metrics per log() call, comma-separated")
    p.add_argument("--calls", type=int, default=100000, help="timed single calls per key count")
    p.add_argument("--latency-points", type=int, default=2000000,
                   help="fewer timed calls with many keys: finish() waits until all their points are sent")
    p.add_argument("--points", type=int, default=1000000, help="points of each throughput loop")
    p.add_argument("--url", help="a running server (default: start the packaged jar)")
    p.add_argument("--offline", action="store_true", help="measure against the offline journal")
    a = p.parse_args()
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops the server
    os.environ.setdefault("TRAINYARD_SILENT", "1")
    server = None
    url = a.url
    if not a.offline and url is None:
        sys.path.insert(0, os.path.join(HERE, "tests"))
        import harness
        harness.require_server()
        server = harness.Server(jvm=()).start()  # the full JIT, as in production (the tests use C1 only)
        url = server.url
        print("server: java -jar %s on %s, fresh data dir (embedded H2)" % (os.path.basename(server.jar), url))
    elif url:
        sys.path.insert(0, os.path.join(HERE, "tests"))
        import harness

        class Remote(harness.Server):
            def __init__(self, url):
                self.url = url
        server = Remote(url)
    mode = "offline" if a.offline else "online"
    try:
        print("wandb.log() per call (%s):" % ("offline journal" if a.offline else url))
        print("| keys per call | timed calls | p50 µs | p99 µs | p99.9 µs | max µs |")
        print("|---:|---:|---:|---:|---:|---:|")
        for keys in [int(k) for k in a.keys.split(",")]:
            calls = max(1000, min(a.calls, a.latency_points // keys))
            (p50, p99, p999, worst), run = latency(keys, calls, url, mode)
            print("| %d | %d | %.2f | %.2f | %.1f | %.0f |" % (keys, calls, p50, p99, p999, worst), flush=True)
        print()
        print("points/s one client sustains (%d points logged, then finish() until all is acknowledged):" % a.points)
        print("| keys per call | log() calls | points | logging s | until acknowledged s | points/s | client CPU s | stored |")
        print("|---:|---:|---:|---:|---:|---:|---:|---|")
        for keys in [int(k) for k in a.keys.split(",")]:
            calls, points, logged, total, cpu, run, stored = throughput(keys, a.points, url, mode, server)
            check = "n/a" if stored is None else ("%d of %d ✓" % (stored, calls) if stored == calls
                                                   else "%d of %d ✗" % (stored, calls))
            print("| %d | %d | %d | %.1f | %.1f | %.0f | %.1f | %s |" % (
                keys, calls, points, logged, total, points / total, cpu, check), flush=True)
    finally:
        if server is not None and a.url is None:
            server.close()


if __name__ == "__main__":
    main()
