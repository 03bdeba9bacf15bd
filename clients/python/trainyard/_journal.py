"""The offline journal (append-only JSON lines under ``<dir>/journal/``) and its upload, ``sync``.

Records: ``run`` (the create body and server URL, first), ``id`` (the server's run id, once known),
``points`` (one metrics request body), ``logs`` (console lines, with ``refused`` when the server
refused them online), ``patch`` (run fields), ``alert``, ``finish`` (the final state) and ``synced``
(everything above it was uploaded).
"""
import json
import os
import sys
import time

from ._common import MAX_BATCH, Http, TrainyardError, Unreachable, detail, iso, retrying, state_dir


LOG_BATCH = 1000  # console lines in one request of a sync


def dumps(record):
    return json.dumps(record, separators=(",", ":"), allow_nan=False).encode("utf-8")


class Journal:
    """One run's journal file, opened for appending."""

    def __init__(self, dir, name, head):
        folder = os.path.join(dir, "journal")
        os.makedirs(folder, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        self.path = os.path.join(folder, "%s-%s.jsonl" % (stamp, name))
        self._file = open(self.path, "ab")
        self.write(head)
        self._file.flush()

    def write(self, record):
        self._file.write(dumps(record) + b"\n")

    def write_points(self, body):
        """A metrics request body as it was built for the server (bytes), without parsing it again."""
        self._file.write(b'{"type":"points","batch":' + body + b"}\n")

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()


def read_journal(path):
    records, bad = [], 0
    with open(path, "rb") as f:
        for line in f:
            try:
                records.append(json.loads(line))
            except ValueError:
                bad += 1  # a line cut short by a crash
    return records, bad


def append(path, record):
    with open(path, "ab") as f:
        f.write(json.dumps(record, separators=(",", ":")).encode("utf-8") + b"\n")
        f.flush()
        os.fsync(f.fileno())


def sync_file(path, url, api_key, budget, out):
    records, bad = read_journal(path)
    if bad:
        print("%s: skipped %d unreadable line(s)" % (path, bad), file=out)
    head = next((r for r in records if r.get("type") == "run"), None)
    if head is None:
        raise TrainyardError("%s is not a Trainyard journal (no run record)" % path)
    run_id = None
    offset = 0  # a run resumed while offline: its steps go on from the server's nextStep
    last_mark = -1
    for i, r in enumerate(records):
        if r.get("type") == "id":
            run_id = r["id"]
            offset = r.get("step_offset", 0)
        elif r.get("type") == "synced":
            last_mark = i
    pending = records[last_mark + 1:]
    work = [r for r in pending if r.get("type") in ("points", "logs", "patch", "alert", "finish")]
    if run_id is not None and not work:
        print("%s: already synced (run %s)" % (path, run_id), file=out)
        return run_id
    http = Http(url or head["url"], api_key)
    if run_id is None:
        status, data = retrying(http, "POST", "/api/v1/runs", head["create"], budget)
        if status not in (200, 201) or not isinstance(data, dict) or "id" not in data:  # 200: a resumed run
            raise TrainyardError("could not create the run: HTTP %d %s" % (status, detail(data)))
        run_id = data["id"]
        if status == 200 and head.get("offline_resume") and not any(r.get("type") == "explicit_steps" for r in records):
            offset = int(data.get("nextStep") or 0)
        append(path, {"type": "id", "id": run_id, "step_offset": offset, "time": iso(time.time())})  # never twice
        print("%s: %s run %s" % (path, "resumed" if status == 200 else "created", run_id), file=out)
    points = [p for r in work if r["type"] == "points" for p in r["batch"]["points"]]
    if offset:
        points = [dict(p, step=p["step"] + offset) for p in points]
    size = MAX_BATCH
    i = 0
    while i < len(points):
        chunk = points[i:i + size]
        status, data = retrying(http, "POST", "/api/v1/runs/%s/metrics" % run_id, {"points": chunk}, budget)
        if status == 413 and size > 1:
            size //= 2
            continue
        if status != 200:
            raise TrainyardError("run %s refused points: HTTP %d %s" % (run_id, status, detail(data)))
        i += len(chunk)
    lines = [line for r in work if r["type"] == "logs" for line in r["lines"]]
    for start in range(0, len(lines), LOG_BATCH):
        chunk = lines[start:start + LOG_BATCH]
        status, data = retrying(http, "POST", "/api/v1/runs/%s/logs" % run_id, {"lines": chunk}, budget)
        if status != 200:  # a console's lines are not worth failing the run's upload over
            print("%s: run %s refused %d log line(s): HTTP %d %s" % (path, run_id, len(chunk), status, detail(data)),
                  file=out)
    for r in work:
        if r["type"] == "patch":
            status, data = retrying(http, "PATCH", "/api/v1/runs/" + run_id, r["fields"], budget)
            if status >= 400:
                print("%s: could not change %s: HTTP %d %s" % (path, r["fields"], status, detail(data)), file=out)
        elif r["type"] == "alert":
            status, data = retrying(http, "POST", "/api/v1/runs/%s/alerts" % run_id, r["alert"], budget)
            if status >= 400:
                print("%s: could not record alert %r: HTTP %d %s" % (path, r["alert"].get("title"), status,
                                                                       detail(data)), file=out)
    ending = [r for r in work if r["type"] == "finish"]
    state = None
    if ending:
        state = ending[-1]["state"]
        status, data = retrying(http, "PATCH", "/api/v1/runs/" + run_id, {"state": state}, budget)
        if status >= 400:
            print("%s: could not set state %s: HTTP %d %s" % (path, state, status, detail(data)), file=out)
    append(path, {"type": "synced", "lines": len(records), "points": len(points), "time": iso(time.time())})
    if lines:
        print("%s: run %s: %d log line(s) uploaded" % (path, run_id, len(lines)), file=out)
    print("%s: run %s: %d point(s) uploaded%s" % (
        path, run_id, len(points), ", state " + state if state else " (no finish record yet: still running, or killed)"),
        file=out)
    return run_id


def sync(paths=None, url=None, api_key=None, dir=None, budget=30.0, out=None):
    """Uploads journaled runs. Safe to repeat: a run is created once (its id is written to the
    journal), and points are idempotent on (key, step). Returns the number of journals that failed."""
    out = out or sys.stdout
    api_key = api_key or os.environ.get("TRAINYARD_API_KEY")
    if not paths:
        folder = os.path.join(state_dir(dir), "journal")
        paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".jsonl")) \
            if os.path.isdir(folder) else []
        if not paths:
            print("nothing to sync in %s" % folder, file=out)
            return 0
    failed = 0
    for path in paths:
        try:
            with open(path, "rb+") as lock:
                try:
                    import fcntl
                    fcntl.flock(lock, fcntl.LOCK_EX)  # two syncs at once must not create the run twice
                except ImportError:
                    pass
                sync_file(path, url, api_key, budget, out)
        except (TrainyardError, Unreachable, OSError, KeyError, TypeError) as e:
            failed += 1
            print("%s: not synced: %s" % (path, e), file=out)
    return failed

