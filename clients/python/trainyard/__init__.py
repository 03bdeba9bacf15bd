"""Trainyard client: log metrics from any Python script to a self-hosted Trainyard server.

The API has wandb's shape::

    import trainyard                       # or: import trainyard as wandb
    run = trainyard.init(project="seed-rnn", config={"lr": 0.01})
    for epoch in range(1000):
        ...
        trainyard.log({"loss": loss})      # one call = one step; returns in microseconds
    trainyard.finish()                     # or let the interpreter exit

Standard library only (Python >= 3.9). This file is the whole client: copy it as ``trainyard.py``
if you cannot ``pip install``. ``python -m trainyard sync`` uploads runs that were logged offline.

Configuration, arguments first, then the environment:
  url      TRAINYARD_URL       server base URL (default http://localhost:8080)
  api_key  TRAINYARD_API_KEY   sent as ``Authorization: Bearer <key>``
  dir      TRAINYARD_DIR       local state; the offline journal is ``<dir>/journal/`` (default ~/.trainyard)
  mode     TRAINYARD_MODE      "online" (default) or "offline" (journal only, sync later)

Rules for ``log()``:
  * keys must match the server's rule: ``[A-Za-z0-9_./=-]{1,200}``, with no empty, "." or ".." segment
    between slashes. A bad key raises ``ValueError`` (keys are never rewritten).
  * values must be real numbers: int, float, bool (sent as 1/0), or anything ``float()`` accepts
    that is not text (numpy scalars, 0-d tensors). Anything else raises ``TypeError``.
    NaN and +/-Infinity are sent as the strings "NaN", "Infinity", "-Infinity".
  * a call that raises logs nothing.
"""
import atexit
import json
import numbers
import operator
import os
import random
import re
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import deque

__version__ = "0.1.0"
__all__ = ["init", "log", "finish", "sync", "Run", "Config", "TrainyardError", "run", "config", "summary"]

DEFAULT_URL = "http://localhost:8080"
MAX_STEP = (1 << 53) - 1
KEY_RULE = '[A-Za-z0-9_./=-]{1,200}, with no empty, "." or ".." segment between slashes'
_KEY = re.compile(r"(?!.*(?:^|/)\.{1,2}(?:/|\Z))(?!/)(?!.*//)(?!.*/\Z)[A-Za-z0-9_./=-]{1,200}\Z")
_INF = float("inf")

# Tunables. Each has a keyword argument of init() and an environment variable.
FLUSH_INTERVAL = 1.0        # seconds between flushes
FLUSH_POINTS = 1000         # pending points that trigger a flush at once
MAX_BATCH = 10000           # points in one request
HEARTBEAT_INTERVAL = 30.0   # seconds
RETRY_BUDGET = 60.0         # seconds the server may stay unreachable before points go to the journal
INIT_TIMEOUT = 5.0          # seconds init() tries to reach the server before logging offline
REQUEST_TIMEOUT = 30.0      # seconds for one HTTP request
REPLAY_WINDOW = 5.0         # seconds: batches acknowledged this long before an outage are sent again
REPLAY_MAX_POINTS = 200000  # at most this many acknowledged points are kept for that

run = None       # the current Run, as wandb.run
config = None    # the current run's Config, as wandb.config
summary = None   # the current run's summary dict, as wandb.summary


class TrainyardError(Exception):
    """The server refused a request (a 4xx answer), or a journal cannot be synced."""


class _Unreachable(Exception):
    """A connection error, a timeout, a 5xx or a 429: worth retrying."""


def _say(message):
    if os.environ.get("TRAINYARD_SILENT", "") not in ("1", "true", "yes"):
        print("trainyard: " + message, file=sys.stderr, flush=True)


def _env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError("%s must be a number of seconds, not %r" % (name, value)) from None


def _state_dir(dir=None):
    return os.path.abspath(os.path.expanduser(dir or os.environ.get("TRAINYARD_DIR") or "~/.trainyard"))


_iso_second = [None, ""]


def _iso(t):
    """Epoch seconds as ISO-8601 UTC with milliseconds; the formatted second is cached."""
    ms = int(round(t * 1000))
    second, ms = divmod(ms, 1000)
    cached = _iso_second
    if cached[0] != second:
        cached[1], cached[0] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)), second
    return "%s.%03dZ" % (cached[1], ms)


def _json_value(v):
    if v != v:
        return "NaN"
    if v == _INF:
        return "Infinity"
    if v == -_INF:
        return "-Infinity"
    return v


def _big(v):
    try:
        return float.__repr__(float(v))
    except OverflowError:
        return '"Infinity"' if v > 0 else '"-Infinity"'


def _jsonable(obj, depth=0):
    """Config values as JSON the server accepts: no NaN tokens, string keys, no exotic objects."""
    if depth > 50:
        return str(obj)
    if obj is None or isinstance(obj, (str, bool, int)):
        return obj
    if isinstance(obj, float):
        return _json_value(obj)
    if isinstance(obj, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [_jsonable(v, depth + 1) for v in obj]
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return _json_value(float(obj))
    if hasattr(obj, "__dict__") and type(obj).__name__ == "Namespace":  # argparse.Namespace
        return _jsonable(vars(obj), depth + 1)
    return str(obj)


_valid_keys = set()


def _check_key(key):
    if type(key) is not str or not _KEY.match(key):
        raise ValueError("invalid metric key %r: keys must match %s" % (key, KEY_RULE))
    if len(_valid_keys) < 100000:
        _valid_keys.add(key)


def _to_value(key, v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, (str, bytes, bytearray, dict, list, tuple, set)) or v is None:
        raise TypeError("metric %r: value %r is a %s; only numbers (int, float, bool) can be logged"
                        % (key, v, type(v).__name__))
    try:
        return float(v)  # numpy scalars, Decimal, Fraction, 0-d tensors
    except (TypeError, ValueError) as e:
        raise TypeError("metric %r: value of type %s is not a number (%s); only numbers (int, float, "
                        "bool) can be logged" % (key, type(v).__name__, e)) from None


def _to_step(step):
    if isinstance(step, bool):
        raise ValueError("step must be an integer, not a bool")
    try:
        step = operator.index(step)
    except TypeError:
        raise ValueError("step must be an integer, not %r" % (step,)) from None
    if step < 0 or step > MAX_STEP:
        raise ValueError("step must be between 0 and %d, not %d" % (MAX_STEP, step))
    return step


class _Http:
    """JSON over urllib. Returns (status, body); raises _Unreachable for what is worth retrying."""

    def __init__(self, url, api_key=None, timeout=REQUEST_TIMEOUT):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.requests = 0

    def call(self, method, path, body=None, timeout=None):
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body, separators=(",", ":"), allow_nan=False).encode("utf-8")
        headers = {"Accept": "application/json", "User-Agent": "trainyard-python/" + __version__}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = "Bearer " + self.api_key
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as e:
            status = e.code
            try:
                raw = e.read()
            except Exception:
                raw = b""
            finally:
                e.close()
        except Exception as e:  # refused, reset, timeout, DNS, a half-read response...
            raise _Unreachable("%s %s: %s" % (method, path, e or type(e).__name__)) from None
        if status >= 500 or status in (408, 429):
            raise _Unreachable("%s %s: HTTP %d %s" % (method, path, status, _detail(raw)))
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode("utf-8", "replace")
        return status, data


def _detail(raw):
    """The readable part of an RFC 9457 problem answer."""
    try:
        problem = json.loads(raw) if isinstance(raw, (bytes, str)) else raw
    except ValueError:
        return raw.decode("utf-8", "replace")[:300] if isinstance(raw, bytes) else str(raw)[:300]
    if isinstance(problem, dict):
        return problem.get("detail") or problem.get("title") or json.dumps(problem)
    return str(problem)[:300]


def _retrying(http, method, path, body, budget, started=None):
    """Calls until an answer that is not _Unreachable, with exponential backoff, for at most budget s."""
    started = time.monotonic() if started is None else started
    delay = 0.2
    while True:
        try:
            return http.call(method, path, body)
        except _Unreachable:
            if time.monotonic() + delay - started > budget:
                raise
            time.sleep(delay * (0.75 + random.random() / 2))
            delay = min(delay * 2, 4.0)


_DONE, _LATER, _SPLIT = "done", "later", "split"


class Config(dict):
    """A dict that also reads as attributes, as wandb.config does (``run.config.lr``).
    Changes after init() stay local: the server keeps the config the run was created with."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


class Run:
    """One run. Create it with trainyard.init()."""

    def __init__(self, project=None, name=None, config=None, tags=None, notes=None, url=None, api_key=None,
                 mode=None, dir=None, retry_budget=None, init_timeout=None, heartbeat_interval=None,
                 flush_interval=None, flush_points=None, request_timeout=None):
        self.project = project or os.environ.get("TRAINYARD_PROJECT") or "uncategorized"
        self.server_url = (url or os.environ.get("TRAINYARD_URL") or DEFAULT_URL).rstrip("/")
        mode = mode or os.environ.get("TRAINYARD_MODE") or "online"
        if mode not in ("online", "offline"):
            raise ValueError("mode must be 'online' or 'offline', not %r" % (mode,))
        if config is not None and not isinstance(config, dict):
            config = vars(config) if hasattr(config, "__dict__") else dict(config)
        self.config = Config(config or {})
        self.summary = {}
        self._name = name
        self._tags = [str(t) for t in tags] if tags is not None else []
        self._notes = notes
        self._dir = _state_dir(dir)
        self._retry_budget = retry_budget if retry_budget is not None else _env_float("TRAINYARD_RETRY_BUDGET", RETRY_BUDGET)
        self._heartbeat_interval = heartbeat_interval or _env_float("TRAINYARD_HEARTBEAT_INTERVAL", HEARTBEAT_INTERVAL)
        self._flush_interval = flush_interval or FLUSH_INTERVAL
        self._flush_points = flush_points or FLUSH_POINTS
        self._http = _Http(self.server_url, api_key or os.environ.get("TRAINYARD_API_KEY"),
                           request_timeout or _env_float("TRAINYARD_TIMEOUT", REQUEST_TIMEOUT))

        self._lock = threading.Lock()
        self._queue = deque()          # (key, step, value, time) logged, not yet taken by the flusher
        self._step = 0
        self._finished = False
        self._outbox = deque()         # (body bytes, points) to send, oldest first
        self._acked = deque()          # (monotonic time, body, points) sent lately, kept for a replay
        self._acked_points = 0
        self._failing_since = None     # monotonic time of the first failure of an ongoing outage
        self._patch = {}               # name/tags/notes changes not yet sent
        self._end_state = None
        self._offline = False
        self._journal = None
        self.journal_path = None
        self.points_sent = 0
        self._wake = threading.Event()
        self._closing = False

        body = {"project": self.project}
        for field, value in (("name", name), ("config", _jsonable(dict(self.config)) if config else None),
                             ("tags", self._tags or None), ("notes", notes)):
            if value is not None:
                body[field] = value
        self._create_body = body
        self._local_id = uuid.uuid4().hex[:12]
        self.id = None
        if mode == "offline":
            self._start_offline("offline mode")
        else:
            budget = init_timeout if init_timeout is not None else _env_float("TRAINYARD_INIT_TIMEOUT", INIT_TIMEOUT)
            try:
                status, data = _retrying(self._http, "POST", "/api/v1/runs", body, budget)
            except _Unreachable as e:
                self._start_offline("cannot reach %s (%s)" % (self.server_url, e))
            else:
                if status != 201 or not isinstance(data, dict) or "id" not in data:
                    raise TrainyardError("could not create the run: HTTP %d %s" % (status, _detail(data)))
                self.id = data["id"]
                self._name = data.get("name", name)
                self.project = data.get("project", self.project)
        self._thread = threading.Thread(target=self._loop, name="trainyard-" + (self.id or self._local_id), daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- the wandb-shaped surface

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._set("name", str(value))

    @property
    def tags(self):
        return tuple(self._tags)

    @tags.setter
    def tags(self, value):
        self._set("tags", [str(t) for t in value])

    @property
    def notes(self):
        return self._notes

    @notes.setter
    def notes(self, value):
        self._set("notes", str(value))

    @property
    def step(self):
        """The step the next log() without ``step`` will use."""
        return self._step

    @property
    def offline(self):
        """True once points go to the local journal instead of the server."""
        return self._offline

    @property
    def url(self):
        """The run's page on the dashboard (None for a run only in the journal)."""
        return self.server_url + "/runs/" + self.id if self.id else None

    def log(self, data, step=None, commit=None):
        """Queues ``{key: number}`` at ``step`` and returns: it never waits for the network.

        Without ``step`` the run's counter is used, and each call advances it by one (one call = one
        step). An explicit ``step`` moves the counter to ``step + 1`` if that is further. With
        ``commit=False`` the counter does not advance, so the next call logs at the same step.
        """
        t = time.time()
        items = []
        try:
            pairs = data.items()
        except AttributeError:
            raise TypeError("log() takes a dict of {key: number}, not %s" % type(data).__name__) from None
        for k, v in pairs:
            if k not in _valid_keys:
                _check_key(k)
            tv = type(v)
            if tv is not float and tv is not int:
                v = _to_value(k, v)
            items.append((k, v))
        if step is not None:
            step = _to_step(step)
        queue = self._queue
        with self._lock:
            if self._finished:
                raise RuntimeError("run %s is finished; call trainyard.init() to start another"
                                   % (self.id or self._local_id))
            s = self._step if step is None else step
            for k, v in items:
                queue.append((k, s, v, t))
            if commit is not False:
                s += 1
            if s > self._step:
                self._step = s
            self.summary.update(items)
        if len(queue) >= self._flush_points and not self._wake.is_set():
            self._wake.set()

    def finish(self, exit_code=0, quiet=None):
        """Sends everything logged, then ends the run: FINISHED for exit code 0, FAILED otherwise.

        Waits for the server for at most the retry budget; after that the rest goes to the journal.
        """
        with self._lock:
            if self._finished:
                return
            self._finished = True
            self._end_state = "FINISHED" if not exit_code else "FAILED"
        _open_runs.discard(self)
        self._closing = True
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        else:
            self._flush(final=True)
        global run, config, summary
        if run is self:
            run, config, summary = None, None, None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.finish(exit_code=0 if exc_type is None else 1)
        return False

    def __repr__(self):
        return "<trainyard.Run %s name=%r project=%r%s>" % (
            self.id or self._local_id, self._name, self.project, " offline" if self._offline else "")

    def _set(self, field, value):
        with self._lock:
            setattr(self, "_" + field, value)
            self._patch[field] = value
        self._wake.set()

    # ---------------------------------------------------------------- the background thread

    def _loop(self):
        next_beat = time.monotonic() + self._heartbeat_interval
        while True:
            try:
                if self._closing:
                    self._flush(final=True)
                    return
                self._flush()
                now = time.monotonic()
                if now >= next_beat:
                    self._heartbeat()
                    next_beat = now + self._heartbeat_interval
                timeout = min(self._flush_interval, next_beat - now)
                self._wake.wait(max(0.0, timeout))
                self._wake.clear()
            except Exception:  # never let the thread die: the points would pile up unsent
                _say("internal error in the background thread:\n" + traceback.format_exc())
                time.sleep(self._flush_interval)
                if self._closing:
                    return

    def _take(self):
        """Moves queued points into request bodies of at most MAX_BATCH points. Writes the JSON by
        hand (keys need no escaping; floats use repr, as json does): this runs beside the training
        loop and holds the GIL, so it must be quick."""
        queue = self._queue
        last_t = last_time = None
        while queue:
            parts = []
            append, popleft = parts.append, queue.popleft
            while queue and len(parts) < MAX_BATCH:
                k, s, v, t = popleft()
                if t != last_t:
                    last_t, last_time = t, _iso(t)
                if v != v or v == _INF or v == -_INF:
                    v = '"%s"' % _json_value(v)
                elif isinstance(v, float):
                    v = float.__repr__(v)
                elif -MAX_STEP <= v <= MAX_STEP:
                    v = int.__repr__(v)
                else:  # a double is all the server keeps; huge ints would not even print
                    v = _big(v)
                append('{"key":"%s","step":%d,"value":%s,"time":"%s"}' % (k, s, v, last_time))
            self._outbox.append((('{"points":[' + ",".join(parts) + "]}").encode("ascii"), len(parts)))

    def _flush(self, final=False):
        self._take()
        self._send_outbox()
        with self._lock:
            patch, self._patch = self._patch, {}
        if patch and self._send(("PATCH", patch)) is _LATER:
            with self._lock:
                self._patch = dict(patch, **self._patch)
        if final:
            state = self._end_state or "FINISHED"
            while True:
                self._take()  # points logged while the last batch was in flight
                if self._send_outbox() and self._send(("PATCH", {"state": state})) is _DONE:
                    break
            if self._journal:
                self._journal_write({"type": "finish", "state": state, "time": _iso(time.time())})
                self._journal.flush()
                os.fsync(self._journal.fileno())
                self._journal.close()
                self._journal = None
                _say("run %s was saved to %s; upload it with: python -m trainyard sync"
                     % (self._name or self.id or self._local_id, self.journal_path))

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
        """Sends a metrics body (bytes, n) or a ("PATCH", fields) until it is answered, the retry
        budget runs out (then it goes to the journal) or the run is offline.

        Returns _DONE; _LATER when an outage just began (what the server acknowledged lately was put
        back in the outbox, and the caller should try again a little later); or _SPLIT when the head
        of the outbox was split in two to fit the server's batch limit."""
        if self._offline:
            self._journal_item(item)
            return _DONE
        delay = 0.2
        while True:
            try:
                if item[0] == "PATCH":
                    status, data = self._http.call("PATCH", "/api/v1/runs/" + self.id, item[1])
                else:
                    status, data = self._http.call("POST", "/api/v1/runs/%s/metrics" % self.id, item[0])
            except _Unreachable as e:
                if self._failing_since is None:
                    self._failing_since = time.monotonic()
                    _say("server unavailable (%s); retrying for up to %gs, logging goes on"
                         % (e, self._retry_budget))
                    self._replay()
                    return _LATER
                if time.monotonic() + delay - self._failing_since > self._retry_budget:
                    self._go_offline("the server was unavailable for %gs (%s)" % (self._retry_budget, e))
                    self._journal_item(item)
                    return _DONE
                time.sleep(delay * (0.75 + random.random() / 2))
                delay = min(delay * 2, 4.0)
                continue
            if self._failing_since is not None:
                _say("server available again after %.1fs" % (time.monotonic() - self._failing_since))
                self._failing_since = None
            if item[0] == "PATCH":
                if status >= 400:
                    _say("could not change run %s %s: HTTP %d %s" % (self.id, item[1], status, _detail(data)))
                return _DONE
            body, n = item
            if status == 200:
                self.points_sent += n
                self._remember(body, n)
                return _DONE
            if status == 413 and n > 1:  # the server's batch limit is lower than ours: halve
                points = json.loads(body)["points"]
                half = len(points) // 2
                self._outbox.popleft()
                self._outbox.extendleft([_body(points[half:]), _body(points[:half])])
                return _SPLIT
            _say("the server refused %d points: HTTP %d %s" % (n, status, _detail(data)))
            return _DONE

    def _remember(self, body, n):
        """Keeps what was acknowledged lately: a server that dies soon after a 200 may lose it."""
        now = time.monotonic()
        acked = self._acked
        acked.append((now, body, n))
        self._acked_points += n
        while acked and (acked[0][0] < now - REPLAY_WINDOW or self._acked_points > REPLAY_MAX_POINTS):
            self._acked_points -= acked.popleft()[2]

    def _replay(self):
        """An outage began: queue again what the server acknowledged just before it. The server is
        idempotent on (key, step), so this never doubles a point; order is kept, so no value regresses."""
        cutoff = time.monotonic() - REPLAY_WINDOW
        again = [(body, n) for (t, body, n) in self._acked if t >= cutoff]
        self._acked.clear()
        self._acked_points = 0
        self._outbox.extendleft(reversed(again))

    def _heartbeat(self):
        if self._offline or self.id is None or self._failing_since is not None:
            return
        try:
            self._http.call("POST", "/api/v1/runs/%s/heartbeat" % self.id, timeout=min(10.0, self._http.timeout))
        except _Unreachable:
            self._replay()  # the next flush finds out whether the server is back

    # ---------------------------------------------------------------- the journal

    def _start_offline(self, reason):
        self._offline = True
        self._open_journal()
        _say("%s; logging to the journal %s. Upload it later with: python -m trainyard sync"
             % (reason, self.journal_path))

    def _go_offline(self, reason):
        self._offline = True  # the outbox drains into the journal from now on
        self._open_journal()
        _say("%s; from now on points go to the journal %s. Upload them later with: python -m trainyard sync"
             % (reason, self.journal_path))

    def _open_journal(self):
        if self._journal is not None:
            return
        folder = os.path.join(self._dir, "journal")
        os.makedirs(folder, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        self.journal_path = os.path.join(folder, "%s-%s.jsonl" % (stamp, self.id or self._local_id))
        self._journal = open(self.journal_path, "ab")
        record = {"type": "run", "version": 1, "local_id": self._local_id, "url": self.server_url,
                  "create": self._create_body, "time": _iso(time.time())}
        self._journal_write(record)
        if self.id:
            self._journal_write({"type": "id", "id": self.id})
        self._journal.flush()

    def _journal_item(self, item):
        if item[0] == "PATCH":
            if "state" not in item[1]:
                self._journal_write({"type": "patch", "fields": item[1]})
        else:
            self._journal.write(b'{"type":"points","batch":' + item[0] + b"}\n")
        self._journal.flush()

    def _journal_write(self, record):
        self._journal.write(json.dumps(record, separators=(",", ":"), allow_nan=False).encode("utf-8") + b"\n")


def _body(points):
    return (json.dumps({"points": points}, separators=(",", ":"), allow_nan=False).encode("utf-8"), len(points))


# -------------------------------------------------------------------- module-level API and hooks

_open_runs = set()
_hooks = {"installed": False, "exit_code": None}


def init(project=None, name=None, config=None, tags=None, notes=None, url=None, api_key=None, **settings):
    """Starts a run and makes it ``trainyard.run``. A run still open from an earlier init() is finished.

    Keyword settings: mode ("online"|"offline"), dir, retry_budget, init_timeout, heartbeat_interval,
    flush_interval, flush_points, request_timeout (seconds; see the module's docstring for defaults).
    """
    global run
    if run is not None:
        run.finish()
    new = Run(project=project, name=name, config=config, tags=tags, notes=notes, url=url, api_key=api_key, **settings)
    _open_runs.add(new)
    _install_hooks()
    run = new
    globals()["config"] = new.config
    globals()["summary"] = new.summary
    return new


def log(data, step=None, commit=None):
    """Logs to ``trainyard.run``; see Run.log."""
    if run is None:
        raise RuntimeError("call trainyard.init() before trainyard.log()")
    run.log(data, step=step, commit=commit)


def finish(exit_code=0):
    """Finishes ``trainyard.run``, if any; see Run.finish."""
    if run is not None:
        run.finish(exit_code=exit_code)


def _install_hooks():
    if _hooks["installed"]:
        return
    _hooks["installed"] = True
    atexit.register(_at_exit)
    previous_hook = sys.excepthook
    previous_exit = sys.exit

    def excepthook(exc_type, exc, tb):
        try:
            previous_hook(exc_type, exc, tb)
        finally:
            _finish_all(1)

    def exit(code=None):
        _hooks["exit_code"] = code
        previous_exit(code)

    sys.excepthook = excepthook
    sys.exit = exit


def _at_exit():
    code = _hooks["exit_code"]
    _finish_all(0 if code is None or code == 0 else 1)


def _finish_all(exit_code):
    for r in list(_open_runs):
        try:
            r.finish(exit_code=exit_code)
        except Exception:
            _say("could not finish run %r:\n%s" % (r, traceback.format_exc()))


# -------------------------------------------------------------------- sync

def _read_journal(path):
    records, bad = [], 0
    with open(path, "rb") as f:
        for line in f:
            try:
                records.append(json.loads(line))
            except ValueError:
                bad += 1  # a line cut short by a crash
    return records, bad


def _append(path, record):
    with open(path, "ab") as f:
        f.write(json.dumps(record, separators=(",", ":")).encode("utf-8") + b"\n")
        f.flush()
        os.fsync(f.fileno())


def _sync_file(path, url, api_key, budget, out):
    records, bad = _read_journal(path)
    if bad:
        print("%s: skipped %d unreadable line(s)" % (path, bad), file=out)
    head = next((r for r in records if r.get("type") == "run"), None)
    if head is None:
        raise TrainyardError("%s is not a Trainyard journal (no run record)" % path)
    run_id = None
    last_mark = -1
    for i, r in enumerate(records):
        if r.get("type") == "id":
            run_id = r["id"]
        elif r.get("type") == "synced":
            last_mark = i
    pending = records[last_mark + 1:]
    work = [r for r in pending if r.get("type") in ("points", "patch", "finish")]
    if run_id is not None and not work:
        print("%s: already synced (run %s)" % (path, run_id), file=out)
        return run_id
    http = _Http(url or head["url"], api_key)
    if run_id is None:
        status, data = _retrying(http, "POST", "/api/v1/runs", head["create"], budget)
        if status != 201:
            raise TrainyardError("could not create the run: HTTP %d %s" % (status, _detail(data)))
        run_id = data["id"]
        _append(path, {"type": "id", "id": run_id, "time": _iso(time.time())})  # never create it twice
        print("%s: created run %s" % (path, run_id), file=out)
    points = [p for r in work if r["type"] == "points" for p in r["batch"]["points"]]
    size = MAX_BATCH
    i = 0
    while i < len(points):
        chunk = points[i:i + size]
        status, data = _retrying(http, "POST", "/api/v1/runs/%s/metrics" % run_id, {"points": chunk}, budget)
        if status == 413 and size > 1:
            size //= 2
            continue
        if status != 200:
            raise TrainyardError("run %s refused points: HTTP %d %s" % (run_id, status, _detail(data)))
        i += len(chunk)
    for r in work:
        if r["type"] == "patch":
            status, data = _retrying(http, "PATCH", "/api/v1/runs/" + run_id, r["fields"], budget)
            if status >= 400:
                print("%s: could not change %s: HTTP %d %s" % (path, r["fields"], status, _detail(data)), file=out)
    ending = [r for r in work if r["type"] == "finish"]
    state = None
    if ending:
        state = ending[-1]["state"]
        status, data = _retrying(http, "PATCH", "/api/v1/runs/" + run_id, {"state": state}, budget)
        if status >= 400:
            print("%s: could not set state %s: HTTP %d %s" % (path, state, status, _detail(data)), file=out)
    _append(path, {"type": "synced", "lines": len(records), "points": len(points), "time": _iso(time.time())})
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
        folder = os.path.join(_state_dir(dir), "journal")
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
                _sync_file(path, url, api_key, budget, out)
        except (TrainyardError, _Unreachable, OSError, KeyError, TypeError) as e:
            failed += 1
            print("%s: not synced: %s" % (path, e), file=out)
    return failed


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(prog="python -m trainyard", description="Trainyard client tools.")
    commands = parser.add_subparsers(dest="command")
    p = commands.add_parser("sync", help="upload runs logged offline (safe to repeat)")
    p.add_argument("journals", nargs="*", help="journal files (default: every journal in <dir>/journal)")
    p.add_argument("--url", help="server URL (default: the one the run was logging to)")
    p.add_argument("--api-key", help="API key (default: TRAINYARD_API_KEY)")
    p.add_argument("--dir", help="state directory (default: TRAINYARD_DIR or ~/.trainyard)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to keep retrying an unreachable server")
    args = parser.parse_args(argv)
    if args.command != "sync":
        parser.print_help()
        return 2
    return 1 if sync(args.journals, url=args.url, api_key=args.api_key, dir=args.dir, budget=args.timeout) else 0


if __name__ == "__main__":
    sys.exit(main())
