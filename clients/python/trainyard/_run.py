"""One run: its fields, config, summary and step counter, and log(); the sending is the Sender's."""
import os
import time
import uuid

from ._common import DEFAULT_URL, HEARTBEAT_INTERVAL, INIT_TIMEOUT, KEY_RULE, REQUEST_TIMEOUT, RETRY_BUDGET, \
    FLUSH_INTERVAL, FLUSH_POINTS, Http, TrainyardError, Unreachable, detail, env_float, jsonable, retrying, \
    scalar, state_dir, to_step, valid_key
from ._sender import Sender

_valid_keys = set()
open_runs = set()
_on_finish = []  # callbacks(run) of the wandb surface: forget the run's globals


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


def _check_key(key):
    if not valid_key(key):
        raise ValueError("invalid metric key %r: keys must match %s" % (key, KEY_RULE))
    if len(_valid_keys) < 100000:
        _valid_keys.add(key)


def _to_value(key, v):
    s = scalar(v)
    if s is None:
        raise TypeError("metric %r: value of type %s is not a number; only numbers (int, float, bool) can be logged"
                        % (key, type(v).__name__))
    return s


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
        self._dir = state_dir(dir)
        self._http = Http(self.server_url, api_key or os.environ.get("TRAINYARD_API_KEY"),
                          request_timeout or env_float("TRAINYARD_TIMEOUT", REQUEST_TIMEOUT))
        self._step = 0
        self._finished = False

        body = {"project": self.project}
        for field, value in (("name", name), ("config", jsonable(dict(self.config)) if config else None),
                             ("tags", self._tags or None), ("notes", notes)):
            if value is not None:
                body[field] = value
        self._local_id = uuid.uuid4().hex[:12]
        self._sender = Sender(
            self._http, body, self._dir, self._local_id,
            retry_budget if retry_budget is not None else env_float("TRAINYARD_RETRY_BUDGET", RETRY_BUDGET),
            heartbeat_interval or env_float("TRAINYARD_HEARTBEAT_INTERVAL", HEARTBEAT_INTERVAL),
            flush_interval or FLUSH_INTERVAL, flush_points or FLUSH_POINTS)
        self._lock = self._sender.lock
        self._queue = self._sender.queue
        self._flush_points = self._sender.flush_points
        self._wake = self._sender.wake
        self.id = None
        reason = None
        if mode == "offline":
            reason = "offline mode"
        else:
            budget = init_timeout if init_timeout is not None else env_float("TRAINYARD_INIT_TIMEOUT", INIT_TIMEOUT)
            try:
                status, data = retrying(self._http, "POST", "/api/v1/runs", body, budget)
            except Unreachable as e:
                reason = "cannot reach %s (%s)" % (self.server_url, e)
            else:
                if status != 201 or not isinstance(data, dict) or "id" not in data:
                    raise TrainyardError("could not create the run: HTTP %d %s" % (status, detail(data)))
                self.id = data["id"]
                self._name = data.get("name", name)
                self.project = data.get("project", self.project)
        self._sender.label = self._name
        self._sender.start(self.id, reason)

    # ---------------------------------------------------------------- the wandb-shaped surface

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._set("name", str(value))
        self._sender.label = self._name

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
        return self._sender.offline

    @property
    def journal_path(self):
        return self._sender.journal_path

    @property
    def points_sent(self):
        return self._sender.points_sent

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
            step = to_step(step)
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
        open_runs.discard(self)
        self._sender.close("FINISHED" if not exit_code else "FAILED")
        for callback in _on_finish:
            callback(self)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.finish(exit_code=0 if exc_type is None else 1)
        return False

    def __repr__(self):
        return "<trainyard.Run %s name=%r project=%r%s>" % (
            self.id or self._local_id, self._name, self.project, " offline" if self.offline else "")

    def _set(self, field, value):
        with self._lock:
            setattr(self, "_" + field, value)
        self._sender.set_patch({field: value})

