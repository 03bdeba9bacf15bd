"""One run: its fields, config, summary and step counter, log() and define_metric(); the sending is
the Sender's. Nothing here raises into the training script: refusals are warnings (see
``_common.internal_error`` for our own bugs)."""
import fnmatch
import json
import os
import time
import uuid

from ._common import DEFAULT_URL, FLUSH_INTERVAL, FLUSH_POINTS, HEARTBEAT_INTERVAL, INIT_TIMEOUT, KEY_RULE, \
    REQUEST_TIMEOUT, RETRY_BUDGET, SYSTEM_INTERVAL, Http, Unreachable, detail, env_float, internal_error, json_value, jsonable, \
    retrying, say, scalar, state_dir, to_step, valid_key, warn_once
from ._console import Capture
from ._sender import Sender
from ._system import Sampler

open_runs = set()
_on_finish = []  # callbacks(run) of the wandb surface: forget the run's globals

_SUMMARY_MODES = ("min", "max", "mean", "last", "none")
_CONSOLES = ("wrap", "off")
_RESUME = {None: None, False: None, True: "auto", "auto": "auto", "allow": "allow", "must": "must", "never": "never"}
RESUME_FILE = "resume.json"


class Media:
    """wandb's rich values (Image, Histogram, Table...): accepted, and skipped by log() with a warning."""

    def __init__(self, *args, **kwargs):
        pass


def _flatten(prefix, d, out):
    for k, v in d.items():
        key = prefix + (k if isinstance(k, str) else str(k))
        if isinstance(v, dict):
            _flatten(key + "/", v, out)
        else:
            out.append((key, v))


class Config(dict):
    """A dict that also reads and writes as attributes, as wandb.config does (``run.config.lr``).

    Changing a key's value needs ``allow_val_change`` (as in wandb), else the change is refused with a
    warning. Changes after init() reach the server: the background thread sends the whole config at
    its next flush, so many changes in a row make one request."""

    def __init__(self, data=None, allow_val_change=False):
        dict.__init__(self)
        object.__setattr__(self, "_changed", None)
        object.__setattr__(self, "_allow", bool(allow_val_change))
        if data:
            dict.update(self, data)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        if name in ("_changed", "_allow"):
            object.__setattr__(self, name, value)
        else:
            self.__setitem__(name, value)

    def __delattr__(self, name):
        try:
            self.__delitem__(name)
        except KeyError:
            raise AttributeError(name) from None

    def __setitem__(self, key, value):
        if self._set(key, value, None):
            self._notify()

    def __delitem__(self, key):
        dict.__delitem__(self, key)
        self._notify()

    def _set(self, key, value, allow):
        key = str(key)
        if key in self and not (self._allow if allow is None else allow):
            old = dict.__getitem__(self, key)
            try:
                same = bool(old == value)
            except Exception:  # arrays compare element-wise
                same = old is value
            if not same:
                warn_once(("config", key, repr(value)[:100]),
                          "config[%r] is %r; the change to %r was refused: pass allow_val_change=True to "
                          "config.update() to change it" % (key, old, value))
                return False
        dict.__setitem__(self, key, value)
        return True

    def update(self, d=None, allow_val_change=None, **kwargs):
        changed = False
        for k, v in list(_as_dict(d).items()) + list(kwargs.items()):
            changed |= self._set(k, v, allow_val_change)
        if changed:
            self._notify()

    def setdefaults(self, d):
        """Sets the keys of d that are not set yet; wandb's name for it."""
        changed = False
        for k, v in _as_dict(d).items():
            if str(k) not in self:
                dict.__setitem__(self, str(k), v)
                changed = True
        if changed:
            self._notify()

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def pop(self, key, *default):
        had = key in self
        value = dict.pop(self, key, *default)
        if had:
            self._notify()
        return value

    def clear(self):
        dict.clear(self)
        self._notify()

    def as_dict(self):
        return dict(self)

    def _notify(self):
        if self._changed is not None:
            self._changed()


def _as_dict(d):
    if d is None:
        return {}
    if isinstance(d, dict):
        return d
    if hasattr(d, "__dict__") and type(d).__name__ == "Namespace":  # argparse
        return vars(d)
    if hasattr(d, "flag_values_dict"):  # absl flags
        return d.flag_values_dict()
    if hasattr(d, "keys"):
        return {k: d[k] for k in d.keys()}
    if hasattr(d, "__dict__"):
        return {k: v for k, v in vars(d).items() if not k.startswith("_")}
    raise TypeError("a config is a dict, an argparse.Namespace or a path to a JSON or YAML file, not %s"
                    % type(d).__name__)


def load_config(config, include=None, exclude=None):
    """init()'s ``config`` as a dict: a dict, an argparse.Namespace, or a path to a JSON file (or a
    YAML file, when PyYAML is importable), with wandb's ``{"key": {"value": v}}`` files unwrapped."""
    if isinstance(config, (str, os.PathLike)):
        path = os.fspath(config)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if path.endswith((".yaml", ".yml")):
            try:
                import yaml
            except ImportError:
                raise ValueError("config %s is YAML, and PyYAML is not installed (pip install pyyaml), "
                                 "or pass a JSON file or a dict" % path) from None
            config = yaml.safe_load(text) or {}
        else:
            config = json.loads(text)
        if not isinstance(config, dict):
            raise ValueError("config %s holds a %s, not a mapping of keys to values" % (path, type(config).__name__))
        config.pop("_wandb", None)
        config.pop("wandb_version", None)
        if config and all(isinstance(v, dict) and "value" in v for v in config.values()):
            config = {k: v["value"] for k, v in config.items()}  # wandb's config-defaults.yaml shape
    config = dict(_as_dict(config))
    if include:
        if exclude:
            warn_once("config-include-exclude", "init(): config_include_keys and config_exclude_keys were both "
                      "given; only config_include_keys is applied")
        config = {k: v for k, v in config.items() if k in set(include)}
    elif exclude:
        config = {k: v for k, v in config.items() if k not in set(exclude)}
    return config


class Summary(dict):
    """The run's summary: the last value of each logged key (or its define_metric summary), and what
    the script sets itself, which wins and is sent to the server as the run's summary."""

    def __init__(self, run):
        dict.__init__(self)
        object.__setattr__(self, "_run", run)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self.__setitem__(name, value)

    def __setitem__(self, key, value):
        self.update({key: value})

    def __delitem__(self, key):
        dict.__delitem__(self, key)
        self._run._summary_set({key: None})

    def update(self, d=None, **kwargs):
        items = []
        _flatten("", dict(_as_dict(d), **kwargs), items)
        sent = {}
        for k, v in items:
            if not valid_key(k):
                warn_once(("summary-key", k), "summary key %r skipped: keys must match %s" % (k, KEY_RULE))
                continue
            s = scalar(v)
            if s is None:
                warn_once(("summary-value", k), "summary[%r] skipped: a %s is not a number (only numbers are kept)"
                          % (k, type(v).__name__))
                continue
            dict.__setitem__(self, k, s)
            sent[k] = s
        if sent:
            self._run._summary_set(sent)


class Metric:
    """What define_metric() returns."""

    def __init__(self, name, step_metric=None, summary=None, goal=None):
        self.name, self.step_metric, self.summary, self.goal = name, step_metric, summary, goal

    def __repr__(self):
        return "<trainyard.Metric %s step_metric=%s summary=%s goal=%s>" % (
            self.name, self.step_metric, self.summary, self.goal)


class Run:
    """One run. Create it with trainyard.init(); a Run never raises into the training script."""

    def __init__(self, project=None, name=None, config=None, tags=None, notes=None, url=None, api_key=None,
                 mode=None, dir=None, retry_budget=None, init_timeout=None, heartbeat_interval=None,
                 flush_interval=None, flush_points=None, request_timeout=None, entity=None, group=None,
                 job_type=None, id=None, resume=None, allow_val_change=None, config_include_keys=None,
                 config_exclude_keys=None, console=None, system_interval=None):
        self._finished = False
        self._disabled = False
        self._step = 0
        self._pending = {}                  # key -> (value, time): logged with commit=False, not yet queued
        self._seen = set()                  # keys this run logged (valid), for the fast path and globs
        self._explicit = set()              # summary keys the script set itself
        self._modes = {}                    # key -> summary mode other than "last"
        self._means = {}                    # key -> [sum, count] for mode "mean"
        self._globs = []                    # (pattern, spec) of define_metric("val/*", ...)
        self._refused_step = False
        self._resume_auto = False
        self._offline_resume = False
        self.resumed = False
        self.summary = Summary(self)

        self.project = str(project or os.environ.get("TRAINYARD_PROJECT") or "uncategorized")
        self.entity = entity
        self.group = group
        self.job_type = job_type
        self.server_url = (url or os.environ.get("TRAINYARD_URL") or DEFAULT_URL).rstrip("/")
        mode = mode or os.environ.get("TRAINYARD_MODE") or os.environ.get("WANDB_MODE") or "online"
        mode = {"run": "online", "dryrun": "offline"}.get(mode, mode)
        if mode not in ("online", "offline", "disabled"):
            warn_once(("mode", mode), "init(mode=%r): mode is 'online', 'offline' or 'disabled'; logging online"
                      % (mode,))
            mode = "online"
        self.mode = mode
        self._dir = state_dir(dir)
        self._name = None if name is None else str(name)
        self._tags = [str(t) for t in tags] if tags is not None else []
        body_tags = list(self._tags)
        if job_type and str(job_type) not in self._tags:
            self._tags.append(str(job_type))  # as the server does with jobType
        self._notes = notes
        self._local_id = uuid.uuid4().hex[:12]
        try:
            config = load_config(config, config_include_keys, config_exclude_keys)
        except Exception as e:
            warn_once(("config-load", repr(config)[:200]), "init(config=%r) ignored: %s" % (config, e))
            config = {}
        self.config = Config(config, allow_val_change)
        self.id = None
        self._sender = None
        self._capture = None
        if mode == "disabled":
            self._disabled = True
            self._name = self._name or "disabled"
            self.id = str(id) if id else self._local_id
            return

        resume = _RESUME.get(resume, resume) if not isinstance(resume, str) else _RESUME.get(resume.lower(), resume)
        if resume not in _RESUME.values():
            warn_once(("resume", str(resume)), "init(resume=%r): resume is 'allow', 'must', 'never', 'auto' or True; "
                      "not resuming" % (resume,))
            resume = None
        if resume == "auto":
            self._resume_auto = True
            previous = _read_resume(self._dir).get(self.project)
            if id is None:
                id = previous["id"] if previous else uuid.uuid4().hex[:12]
            resume = "allow"
        body = {"project": self.project}
        for field, value in (("name", self._name), ("config", jsonable(dict(self.config)) if config else None),
                             ("tags", body_tags or None), ("notes", notes), ("entity", entity), ("group", group),
                             ("jobType", job_type), ("id", None if id is None else str(id)),
                             ("resume", resume if id is not None else None)):
            if value is not None:
                body[field] = value
        self._http = Http(self.server_url, api_key or os.environ.get("TRAINYARD_API_KEY"),
                          request_timeout or env_float("TRAINYARD_TIMEOUT", REQUEST_TIMEOUT))
        self._sender = Sender(
            self._http, body, self._dir, self._local_id,
            retry_budget if retry_budget is not None else env_float("TRAINYARD_RETRY_BUDGET", RETRY_BUDGET),
            heartbeat_interval or env_float("TRAINYARD_HEARTBEAT_INTERVAL", HEARTBEAT_INTERVAL),
            flush_interval or FLUSH_INTERVAL, flush_points or FLUSH_POINTS)
        self._lock = self._sender.lock
        self._queue = self._sender.queue
        self._flush_points = self._sender.flush_points
        self._wake = self._sender.wake
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
                if status in (200, 201) and isinstance(data, dict) and "id" in data:
                    self._created(data, status == 200)
                else:
                    reason = "the server refused the run (HTTP %d %s)" % (status, detail(data))
        if reason is not None:
            if id is not None:
                self.id = str(id)  # the run keeps its id in the journal; sync creates or resumes it
            if resume in ("allow", "must"):
                self._offline_resume = True
                self._sender.head_extra["offline_resume"] = True  # sync moves the steps to the run's nextStep
        self._sender.label = self._name
        interval = system_interval if system_interval is not None else env_float("TRAINYARD_SYSTEM_INTERVAL",
                                                                                  SYSTEM_INTERVAL)
        sampler = Sampler() if interval and interval > 0 else None
        if sampler is not None and sampler.available:
            self._sender.system, self._sender.system_interval = sampler, float(interval)
        self._sender.start(self.id if reason is None else None, reason)
        console = console or os.environ.get("TRAINYARD_CONSOLE") or os.environ.get("WANDB_CONSOLE") or "wrap"
        if console in ("auto", "redirect", "on"):
            console = "wrap"  # only Python's own writes are captured, whatever wandb's name for it
        if console not in _CONSOLES:
            warn_once(("console", console), "init(console=%r): console is 'wrap' or 'off'; capturing" % (console,))
            console = "wrap"
        if console == "wrap":
            self._capture = Capture(self._sender.log_lines, self._sender.lock, self._sender.thread)
            self._capture.start()
        if self._resume_auto:
            _write_resume(self._dir, self.project, self.id)
        self.config._changed = self._config_changed

    def _created(self, view, resumed):
        self.id = view["id"]
        self._name = view.get("name", self._name)
        self.project = view.get("projectName") or self.project
        self.entity = view.get("entity", self.entity)
        self.group = view.get("group", self.group)
        self.job_type = view.get("jobType", self.job_type)
        if isinstance(view.get("tags"), list):
            self._tags = list(view["tags"])
        self.resumed = resumed
        if resumed:
            self._step = int(view.get("nextStep") or 0)
            for k, v in (view.get("summary") or {}).items():
                dict.__setitem__(self.summary, k, v)
            if isinstance(view.get("config"), dict):
                for k, v in view["config"].items():
                    if k not in self.config:
                        dict.__setitem__(self.config, k, v)

    # ---------------------------------------------------------------- the wandb-shaped surface

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        try:
            if value is None or not str(value).strip():
                warn_once("empty-name", "run.name = %r ignored: a name is not empty" % (value,))
                return
            self._set("name", str(value))
        except Exception:
            internal_error("run.name")

    @property
    def tags(self):
        return tuple(self._tags)

    @tags.setter
    def tags(self, value):
        try:
            tags = [str(t) for t in ([value] if isinstance(value, str) else value)]
        except TypeError:
            warn_once(("tags", type(value).__name__), "run.tags = %r ignored: tags are a list of strings" % (value,))
            return
        self._set("tags", tags)

    @property
    def notes(self):
        return self._notes

    @notes.setter
    def notes(self, value):
        self._set("notes", "" if value is None else str(value))

    @property
    def step(self):
        """The step the next log() without ``step`` will use."""
        return self._step

    @property
    def dir(self):
        """The local state directory (the journal is its ``journal/``)."""
        return self._dir

    @property
    def path(self):
        return "/".join(str(p) for p in (self.entity, self.project, self.id) if p)

    @property
    def disabled(self):
        return self._disabled

    @property
    def offline(self):
        """True once points go to the local journal instead of the server."""
        return self._sender is not None and self._sender.offline

    @property
    def journal_path(self):
        return self._sender.journal_path if self._sender else None

    @property
    def points_sent(self):
        return self._sender.points_sent if self._sender else 0

    @property
    def url(self):
        """The run's page on the dashboard (None for a run only in the journal)."""
        if self._disabled or self.id is None or self.offline and self._sender.id is None:
            return None
        return self.server_url + "/runs/" + self.id

    def log(self, data, step=None, commit=None):
        """Logs ``{key: number}`` and returns at once: it never waits for the network, never raises.

        wandb's steps: each call without ``step`` logs at the current step and then advances it;
        ``commit=False`` adds to the current step without advancing (the next call lands there too).
        ``step=s`` above the current step moves there (what was pending goes out at its own step),
        ``step`` equal to it adds to it, and ``step`` below it is refused with a warning. Nested dicts
        become ``a/b`` keys; values that are not one number are skipped with a warning per key.
        """
        if self._disabled:
            return
        try:
            t = time.time()
            items = []
            seen = self._seen
            try:
                pairs = data.items()
            except AttributeError:
                warn_once(("log-type", type(data).__name__), "log() takes a dict of {key: number}, not %s: not logged"
                          % type(data).__name__)
                return
            for k, v in pairs:
                tv = type(v)
                if (tv is float or tv is int) and k in seen:
                    items.append((k, v))
                else:
                    self._slow_item(k, v, items)
            if step is not None:
                try:
                    step = to_step(step)
                except ValueError as e:
                    warn_once(("log-step", repr(step)), "log(step=%r) not logged: %s" % (step, e))
                    return
                if self._offline_resume:
                    self._offline_resume = False
                    self._sender.mark({"type": "explicit_steps"})  # sync must not move these steps
            with self._lock:
                if self._finished:
                    warn_once(("finished", id(self)), "run %s is finished: log() after finish() is not logged; "
                              "call init() to start another run" % (self.id or self._local_id))
                    return
                if step is not None:
                    if step < self._step:
                        if not self._refused_step:
                            self._refused_step = True
                            say("WARNING log(step=%d) is below the current step %d: not logged (steps only go forward;"
                                " this warning is not repeated for run %s)" % (step, self._step, self.id or self._local_id))
                        return
                    if step > self._step:
                        self._commit_pending()
                        self._step = step
                    commit = commit is True
                else:
                    commit = commit is not False
                if commit:
                    if self._pending:
                        self._pending.update((k, (v, t)) for k, v in items)
                        self._commit_pending()
                    else:
                        s, queue = self._step, self._queue
                        for k, v in items:
                            queue.append((k, s, v, t))
                    self._step += 1
                else:
                    self._pending.update((k, (v, t)) for k, v in items)
                if self._modes or self._explicit:
                    self._summarise(items)
                else:
                    dict.update(self.summary, items)
            if len(self._queue) >= self._flush_points and not self._wake.is_set():
                self._wake.set()
        except Exception:
            internal_error("log()")

    def _slow_item(self, k, v, items, prefix=""):
        """A key seen for the first time, a nested dict, or a value that is not an int or float."""
        if not isinstance(k, str):
            warn_once(("key", repr(k)), "metric key %r skipped: keys are strings" % (k,))
            return
        key = prefix + k
        if isinstance(v, dict):
            for k2, v2 in v.items():
                self._slow_item(k2 if isinstance(k2, str) else str(k2), v2, items, key + "/")
            return
        if key not in self._seen:
            if not valid_key(key):
                warn_once(("key", key), "metric key %r skipped: keys must match %s (keys are never rewritten)"
                          % (key, KEY_RULE))
                return
            self._first_seen(key)
        tv = type(v)
        if tv is not float and tv is not int:
            value = scalar(v)
            if value is None:
                what = "wandb.%s" % type(v).__name__ if isinstance(v, Media) else "a " + type(v).__name__
                warn_once(("value", key), "metric %r skipped: %s is not a number (Trainyard keeps numbers only; "
                          "this warning is not repeated for the key)" % (key, what))
                return
            v = value
        items.append((key, v))

    def _first_seen(self, key):
        if len(self._seen) < 100000:
            self._seen.add(key)
        for pattern, spec in self._globs:
            if fnmatch.fnmatchcase(key, pattern) and key != spec.get("stepMetric"):
                self._define(key, spec)
                break

    def _commit_pending(self):
        """Queues what accumulated at the current step (called with the lock held)."""
        if self._pending:
            s, queue = self._step, self._queue
            for k, (v, t) in self._pending.items():
                queue.append((k, s, v, t))
            self._pending = {}

    def _summarise(self, items):
        summary, modes, explicit = self.summary, self._modes, self._explicit
        for k, v in items:
            if k in explicit:
                continue
            mode = modes.get(k)
            if mode is None or mode == "last":
                dict.__setitem__(summary, k, v)
            elif mode == "none":
                continue
            elif v != v:
                continue  # NaN is no minimum
            elif mode == "min":
                if k not in summary or v < summary[k]:
                    dict.__setitem__(summary, k, v)
            elif mode == "max":
                if k not in summary or v > summary[k]:
                    dict.__setitem__(summary, k, v)
            else:
                acc = self._means.setdefault(k, [0.0, 0])
                acc[0] += v
                acc[1] += 1
                dict.__setitem__(summary, k, acc[0] / acc[1])

    def _summary_set(self, values):
        if self._disabled:
            return
        for k, v in values.items():
            if v is None:
                self._explicit.discard(k)
            else:
                self._explicit.add(k)
        self._sender.set_patch({"summary": {k: (None if v is None else json_value(v)) for k, v in values.items()}})

    def define_metric(self, name, step_metric=None, step_sync=None, hidden=None, summary=None, goal=None,
                      overwrite=None, **ignored):
        """wandb's define_metric: ``summary`` ("min", "max", "mean", "last", "none", "best" with ``goal``)
        decides the key's summary value and the runs table's sort; ``step_metric`` its x axis. A name
        with ``*`` applies to each matching key as it is first logged."""
        try:
            for keyword, value in (("step_sync", step_sync), ("hidden", hidden), ("overwrite", overwrite)):
                if value is not None:
                    warn_once(("define_metric", keyword), "define_metric(%s=...) has no meaning here: ignored" % keyword)
            for keyword in ignored:
                warn_once(("define_metric", keyword), "define_metric(%s=...) is not known: ignored" % keyword)
            spec = {}
            if goal is not None:
                g = {"min": "minimize", "minimize": "minimize", "max": "maximize", "maximize": "maximize"}.get(
                    str(goal).lower())
                if g is None:
                    warn_once(("goal", goal), "define_metric(goal=%r): goal is 'minimize' or 'maximize'; ignored" % goal)
                else:
                    spec["goal"] = g
            if summary is not None:
                modes = [m.strip().lower() for m in str(summary).split(",") if m.strip()]
                known = [("min" if spec.get("goal") != "maximize" else "max") if m == "best" else m
                         for m in modes if m in _SUMMARY_MODES or m == "best"]
                if known:
                    spec["summary"] = known[0]
                if len(known) != len(modes) or len(known) > 1:
                    warn_once(("summary-mode", str(summary)), "define_metric(summary=%r): a key has one summary here, "
                              "one of %s; using %s" % (summary, ", ".join(_SUMMARY_MODES + ("best",)),
                                                       spec.get("summary", "last")))
            if step_metric is not None:
                if valid_key(step_metric):
                    spec["stepMetric"] = step_metric
                else:
                    warn_once(("step_metric", step_metric), "define_metric(step_metric=%r) ignored: keys must match %s"
                              % (step_metric, KEY_RULE))
            metric = Metric(name, spec.get("stepMetric"), spec.get("summary"), spec.get("goal"))
            if self._disabled or not spec:
                return metric
            if isinstance(name, str) and "*" in name:
                self._globs.append((name, spec))
                for key in sorted(self._seen):
                    if fnmatch.fnmatchcase(key, name) and key != spec.get("stepMetric"):
                        self._define(key, spec)
            elif valid_key(name):
                self._define(name, spec)
            else:
                warn_once(("define_metric", name), "define_metric(%r) ignored: keys must match %s (or use a * glob)"
                          % (name, KEY_RULE))
            return metric
        except Exception:
            internal_error("define_metric()")

    def _define(self, key, spec):
        mode = spec.get("summary")
        if mode is not None:
            self._modes[key] = mode
            self._means.pop(key, None)
            if key not in self._explicit and key in self.summary and mode == "none":
                dict.__delitem__(self.summary, key)
        self._sender.set_patch({"metrics": {key: dict(spec)}}, wake=False)

    def alert(self, title, text="", level=None, wait_duration=None):
        """Records an event on the run (shown on its page, and on its live stream)."""
        try:
            if self._disabled:
                return
            level = getattr(level, "value", level) or "INFO"
            level = {"WARNING": "WARN"}.get(str(level).upper(), str(level).upper())
            if level not in ("INFO", "WARN", "ERROR"):
                level = "INFO"
            self._sender.alert({"title": str(title)[:200] or "alert", "text": str(text)[:10000], "level": level})
        except Exception:
            internal_error("alert()")

    def finish(self, exit_code=None, quiet=None):
        """Sends everything logged, then ends the run: FINISHED for exit code 0, FAILED otherwise.

        Waits for the server for at most the retry budget; after that the rest goes to the journal.
        """
        try:
            if self._disabled:
                if not self._finished:
                    self._finished = True
                    open_runs.discard(self)
                    for callback in _on_finish:
                        callback(self)
                return
            with self._lock:
                if self._finished:
                    return
                self._finished = True
                self._commit_pending()
            open_runs.discard(self)
            if self._capture is not None:
                self._capture.stop()  # the rest of the script's output is its own
            try:
                self._sender.close("FINISHED" if not exit_code else "FAILED")
            finally:
                if self._resume_auto and not exit_code:
                    _write_resume(self._dir, self.project, None)  # a clean end: the next auto run starts anew
                for callback in _on_finish:
                    callback(self)
        except Exception:
            internal_error("finish()")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.finish(exit_code=0 if exc_type is None else 1)
        return False  # the script's own exception goes on

    def __repr__(self):
        return "<trainyard.Run %s name=%r project=%r%s>" % (
            self.id or self._local_id, self._name, self.project,
            " disabled" if self._disabled else " offline" if self.offline else "")

    def _set(self, field, value):
        setattr(self, "_" + field, value)
        if self._disabled:
            return
        if field == "name":
            self._sender.label = value
        self._sender.set_patch({field: value})

    def _config_changed(self):
        if not self._disabled:
            self._sender.set_patch({"config": self._config_json}, wake=False)  # sent at the next flush

    def _config_json(self):
        return jsonable(dict(self.config))


def _read_resume(dir):
    try:
        with open(os.path.join(dir, RESUME_FILE), encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_resume(dir, project, run_id):
    """``<dir>/resume.json``: per project, the run that resume="auto" continues (until it ends cleanly)."""
    try:
        data = _read_resume(dir)
        if run_id is None:
            if data.pop(project, None) is None:
                return
        else:
            data[project] = {"id": run_id, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        os.makedirs(dir, exist_ok=True)
        path = os.path.join(dir, RESUME_FILE)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(path + ".tmp", path)
    except OSError as e:
        say("WARNING could not write %s: %s" % (os.path.join(dir, RESUME_FILE), e))
