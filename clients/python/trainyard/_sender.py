"""The background sender: batches queued points into requests, retries an unreachable server within
the retry budget, replays what was acknowledged just before an outage, and moves to the offline
journal when the server stays away (or was never reached)."""
import json
import random
import threading
import time
import traceback
from collections import deque

from . import _common
from ._common import INF, MAX_BATCH, MAX_STEP, REPLAY_MAX_POINTS, REPLAY_WINDOW, Unreachable, big, detail, iso, \
    json_value, say
from ._journal import Journal

MAX_LOG_BATCH = 1000  # console lines in one request (the server takes up to trainyard.logs.max-batch-lines)

_DONE, _LATER, _SPLIT = "done", "later", "split"
_MERGED = ("summary", "metrics")  # PATCH fields whose changes add up rather than replace


def body(points):
    return (json.dumps({"points": points}, separators=(",", ":"), allow_nan=False).encode("utf-8"), len(points))


def _merge(into, fields):
    for k, v in fields.items():
        if k in _MERGED and isinstance(into.get(k), dict):
            into[k] = dict(into[k], **v)
        else:
            into[k] = v
    return into


class Sender:
    """Owns the queue that log() appends to (``queue``, guarded by ``lock``) and one daemon thread."""

    def __init__(self, http, create_body, dir, local_id, retry_budget, heartbeat_interval, flush_interval,
                 flush_points):
        self.http = http
        self.create_body = create_body
        self.dir = dir
        self.local_id = local_id
        self.retry_budget = retry_budget
        self.heartbeat_interval = heartbeat_interval
        self.flush_interval = flush_interval
        self.flush_points = flush_points
        self.id = None
        self.lock = threading.Lock()
        self.queue = deque()           # (key, step, value, time) logged, not yet taken by the flusher
        self.log_lines = deque()       # (stream, text, time) captured from the console, guarded by lock too
        self.system = None             # a _system.Sampler, sampled every system_interval seconds
        self.system_interval = 0
        self.log_lines_sent = 0
        self.wake = threading.Event()
        self.offline = False
        self.journal_path = None
        self.points_sent = 0
        self.errors = []               # internal errors of the thread, raised at close() under TRAINYARD_STRICT
        self.label = None              # the run's name, for messages
        self.head_extra = {}           # more fields for the journal's run record
        self._marks = deque()          # journal-only records
        self._outbox = deque()         # (body bytes, points) to send, oldest first
        self._log_outbox = deque()     # ("LOGS", [line dicts]) to send, oldest first
        self._acked = deque()          # (monotonic time, body, points) sent lately, kept for a replay
        self._acked_points = 0
        self._failing_since = None     # monotonic time of the first failure of an ongoing outage
        self._patch = {}               # run fields not yet sent; a callable value is read at send time
        self._alerts = deque()         # alert bodies not yet sent
        self._end_state = None
        self._journal = None
        self._closing = False
        self._thread = None

    def start(self, run_id=None, offline_reason=None):
        self.id = run_id
        if offline_reason is not None:
            self.start_offline(offline_reason)
        self._thread = threading.Thread(target=self._loop, name="trainyard-" + (self.id or self.local_id), daemon=True)
        self._thread.start()

    @property
    def thread(self):
        return self._thread

    def set_patch(self, fields, wake=True):
        with self.lock:
            _merge(self._patch, fields)
        if wake:
            self.wake.set()

    def alert(self, alert):
        with self.lock:
            self._alerts.append(alert)
        self.wake.set()

    def mark(self, record):
        """A record for the journal only (if there is one), written by the thread."""
        self._marks.append(record)

    def close(self, state):
        """Sends what is left and the final state; returns when done (or journaled)."""
        self._end_state = state
        self._closing = True
        self.wake.set()
        if self._thread is not None and self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        else:
            self._flush(final=True)
        if self.errors and _common.strict():
            raise RuntimeError("the background thread failed:\n" + self.errors[0])

    # ---------------------------------------------------------------- the thread

    def _loop(self):
        next_beat = time.monotonic() + self.heartbeat_interval
        next_sample = time.monotonic()
        while True:
            try:
                if self._closing:
                    self._flush(final=True)
                    return
                now = time.monotonic()
                if self.system is not None and now >= next_sample:
                    self._sample()
                    next_sample = now + self.system_interval
                self._flush()
                now = time.monotonic()
                if now >= next_beat:
                    self._heartbeat()
                    next_beat = now + self.heartbeat_interval
                timeout = min(self.flush_interval, next_beat - now)
                if self.system is not None:
                    timeout = min(timeout, next_sample - now)
                self.wake.wait(max(0.0, timeout))
                self.wake.clear()
            except Exception:  # never let the thread die: the points would pile up unsent
                self.errors.append(traceback.format_exc())
                say("internal error in the background thread:\n" + self.errors[-1])
                time.sleep(self.flush_interval)
                if self._closing:
                    return

    def _sample(self):
        """The process's system/... metrics, stepped by sample apart from the script's own steps."""
        values = self.system.sample()
        t = time.time()
        with self.lock:
            for key, value in values:
                self.queue.append((key, self.system.step, value, t))
            self.system.step += 1

    def _take_logs(self):
        with self.lock:  # the capture holds this deque: it is emptied, never replaced
            lines = deque(self.log_lines)
            self.log_lines.clear()
        while lines:
            batch = []
            while lines and len(batch) < MAX_LOG_BATCH:
                stream, text, t = lines.popleft()
                batch.append({"stream": stream, "text": _common.storable(text), "time": iso(t)})
            self._log_outbox.append(("LOGS", batch))

    def _send_logs(self):
        """Sends the console lines in order; False if it stopped at the start of an outage."""
        self._take_logs()
        while self._log_outbox:
            result = self._send(self._log_outbox[0])
            if result is _DONE:
                self._log_outbox.popleft()
            elif result is _LATER:
                return False
        return True

    def _take(self):
        """Moves queued points into request bodies of at most MAX_BATCH points. Writes the JSON by
        hand (keys need no escaping; floats use repr, as json does): this runs beside the training
        loop and holds the GIL, so it must be quick."""
        queue = self.queue
        last_t = last_time = None
        while queue:
            parts = []
            append, popleft = parts.append, queue.popleft
            while queue and len(parts) < MAX_BATCH:
                k, s, v, t = popleft()
                if t != last_t:
                    last_t, last_time = t, iso(t)
                if v != v or v == INF or v == -INF:
                    v = '"%s"' % json_value(v)
                elif isinstance(v, float):
                    v = float.__repr__(v)
                elif -MAX_STEP <= v <= MAX_STEP:
                    v = int.__repr__(v)
                else:  # a double is all the server keeps; huge ints would not even print
                    v = big(v)
                append('{"key":"%s","step":%d,"value":%s,"time":"%s"}' % (k, s, v, last_time))
            self._outbox.append((('{"points":[' + ",".join(parts) + "]}").encode("ascii"), len(parts)))

    def _flush(self, final=False):
        if final and self.system is not None:
            self._sample()  # the end of the run, so that even a short one has its last figures
        self._take()
        self._send_outbox()
        self._send_logs()
        with self.lock:
            patch, self._patch = self._patch, {}
        if patch:
            patch = {k: (v() if callable(v) else v) for k, v in patch.items()}
            if self._send(("PATCH", patch)) is _LATER:
                with self.lock:
                    self._patch = _merge(patch, self._patch)
        while self._marks and self._journal is not None:
            self._journal.write(self._marks.popleft())
        while self._alerts:
            if self._send(("ALERT", self._alerts[0])) is _LATER:
                break
            self._alerts.popleft()
        if final:
            state = self._end_state or "FINISHED"
            while True:
                self._take()  # points logged while the last batch was in flight
                if self._send_outbox() and self._send_logs() and self._send(("PATCH", {"state": state})) is _DONE:
                    break
            if self._journal:
                self._journal.write({"type": "finish", "state": state, "time": iso(time.time())})
                self._journal.close()
                self._journal = None
                say("run %s was saved to %s; upload it with: python -m trainyard sync"
                    % (self.label or self.id or self.local_id, self.journal_path))

    def _send_outbox(self):
        """Sends the outbox in order; False if it stopped at the start of an outage."""
        while self._outbox:
            result = self._send(self._outbox[0])
            if result is _DONE:
                self._outbox.popleft()
            elif result is _LATER:
                return False
        return True

    def _send(self, item):
        """Sends a metrics body (bytes, n), a ("PATCH", fields) or an ("ALERT", body) until it is
        answered, the retry budget runs out (then it goes to the journal) or the run is offline.

        Returns _DONE; _LATER when an outage just began (what the server acknowledged lately was put
        back in the outbox, and the caller should try again a little later); or _SPLIT when the head
        of the outbox was split in two to fit the server's batch limit."""
        if self.offline:
            self._journal_item(item)
            return _DONE
        delay = 0.2
        while True:
            try:
                if item[0] == "PATCH":
                    status, data = self.http.call("PATCH", "/api/v1/runs/" + self.id, item[1])
                elif item[0] == "ALERT":
                    status, data = self.http.call("POST", "/api/v1/runs/%s/alerts" % self.id, item[1])
                elif item[0] == "LOGS":
                    status, data = self.http.call("POST", "/api/v1/runs/%s/logs" % self.id, {"lines": item[1]})
                else:
                    status, data = self.http.call("POST", "/api/v1/runs/%s/metrics" % self.id, item[0])
            except Unreachable as e:
                if self._failing_since is None:
                    self._failing_since = time.monotonic()
                    say("server unavailable (%s); retrying for up to %gs, logging goes on" % (e, self.retry_budget))
                    self._replay()
                    return _LATER
                if time.monotonic() + delay - self._failing_since > self.retry_budget:
                    self.go_offline("the server was unavailable for %gs (%s)" % (self.retry_budget, e))
                    self._journal_item(item)
                    return _DONE
                time.sleep(delay * (0.75 + random.random() / 2))
                delay = min(delay * 2, 4.0)
                continue
            if self._failing_since is not None:
                say("server available again after %.1fs" % (time.monotonic() - self._failing_since))
                self._failing_since = None
            if item[0] == "PATCH":
                if status >= 400:
                    say("could not change run %s %s: HTTP %d %s" % (self.id, item[1], status, detail(data)))
                return _DONE
            if item[0] == "ALERT":
                if status >= 400:
                    say("could not record the alert %r: HTTP %d %s" % (item[1].get("title"), status, detail(data)))
                return _DONE
            if item[0] == "LOGS":
                return self._logs_answered(item, status, data)
            raw, n = item
            if status == 200:
                self.points_sent += n
                self._remember(raw, n)
                return _DONE
            if status == 413 and n > 1:  # the server's batch limit is lower than ours: halve
                points = json.loads(raw)["points"]
                half = len(points) // 2
                self._outbox.popleft()
                self._outbox.extendleft([body(points[half:]), body(points[:half])])
                return _SPLIT
            say("the server refused %d points: HTTP %d %s" % (n, status, detail(data)))
            return _DONE

    def _logs_answered(self, item, status, data):
        lines = item[1]
        if status == 200:
            self.log_lines_sent += len(lines)
            return _DONE
        if status == 413 and len(lines) > 1:  # the server's batch limit is lower than ours: halve
            half = len(lines) // 2
            self._log_outbox.popleft()
            self._log_outbox.extendleft([("LOGS", lines[half:]), ("LOGS", lines[:half])])
            return _SPLIT
        # Never an exception in the script: the lines are kept in the journal, for a later sync.
        self._open_journal()
        self._journal.write({"type": "logs", "lines": lines, "refused": "HTTP %d %s" % (status, detail(data))})
        self._journal.flush()
        say("WARNING the server refused %d log line(s): HTTP %d %s; they were kept in the journal %s"
            % (len(lines), status, detail(data), self.journal_path))
        return _DONE

    def _remember(self, raw, n):
        """Keeps what was acknowledged lately: a server that dies soon after a 200 may lose it."""
        now = time.monotonic()
        acked = self._acked
        acked.append((now, raw, n))
        self._acked_points += n
        while acked and (acked[0][0] < now - REPLAY_WINDOW or self._acked_points > REPLAY_MAX_POINTS):
            self._acked_points -= acked.popleft()[2]

    def _replay(self):
        """An outage began: queue again what the server acknowledged just before it. The server is
        idempotent on (key, step), so this never doubles a point; order is kept, so no value regresses."""
        cutoff = time.monotonic() - REPLAY_WINDOW
        again = [(raw, n) for (t, raw, n) in self._acked if t >= cutoff]
        self._acked.clear()
        self._acked_points = 0
        self._outbox.extendleft(reversed(again))

    def _heartbeat(self):
        if self.offline or self.id is None or self._failing_since is not None:
            return
        try:
            self.http.call("POST", "/api/v1/runs/%s/heartbeat" % self.id, timeout=min(10.0, self.http.timeout))
        except Unreachable:
            self._replay()  # the next flush finds out whether the server is back

    # ---------------------------------------------------------------- the journal

    def start_offline(self, reason):
        self.offline = True
        self._open_journal()
        say("%s; logging to the journal %s. Upload it later with: python -m trainyard sync"
            % (reason, self.journal_path))

    def go_offline(self, reason):
        self.offline = True  # the outbox drains into the journal from now on
        self._open_journal()
        say("%s; from now on points go to the journal %s. Upload them later with: python -m trainyard sync"
            % (reason, self.journal_path))

    def _open_journal(self):
        if self._journal is not None:
            return
        head = {"type": "run", "version": 1, "local_id": self.local_id, "url": self.http.url,
                "create": self.create_body, "time": iso(time.time())}
        head.update(self.head_extra)
        self._journal = Journal(self.dir, self.id or self.local_id, head)
        self.journal_path = self._journal.path
        if self.id:
            self._journal.write({"type": "id", "id": self.id})
        self._journal.flush()

    def _journal_item(self, item):
        if item[0] == "PATCH":
            fields = {k: v for k, v in item[1].items() if k != "state"}
            if fields:
                self._journal.write({"type": "patch", "fields": fields})
        elif item[0] == "ALERT":
            self._journal.write({"type": "alert", "alert": item[1]})
        elif item[0] == "LOGS":
            self._journal.write({"type": "logs", "lines": item[1]})
        else:
            self._journal.write_points(item[0])
        self._journal.flush()
