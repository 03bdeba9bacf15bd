"""What every part of the client shares: tunables, messages, JSON values, metric keys, HTTP."""
import json
import numbers
import operator
import os
import random
import re
import sys
import time
import traceback
import urllib.error
import urllib.request

__version__ = "0.2.0"

DEFAULT_URL = "http://localhost:8080"
MAX_STEP = (1 << 53) - 1
# The server's rule (MetricKeys): a space inside a key, as MLflow allows, but not at either end.
KEY_RULE = '[A-Za-z0-9_./= -]{1,250}, with no space at either end and no empty, "." or ".." segment between slashes'
_KEY = re.compile(r"(?! )(?!.* \Z)(?!.*(?:^|/)\.{1,2}(?:/|\Z))(?!/)(?!.*//)(?!.*/\Z)[A-Za-z0-9_./= -]{1,250}\Z")
INF = float("inf")

# Tunables. Each has a keyword argument of init() and an environment variable.
FLUSH_INTERVAL = 1.0        # seconds between flushes
FLUSH_POINTS = 1000         # pending points that trigger a flush at once
MAX_BATCH = 10000           # points in one request
HEARTBEAT_INTERVAL = 30.0   # seconds
SYSTEM_INTERVAL = 5.0       # seconds between samples of the process's CPU and memory (0: none)
RETRY_BUDGET = 60.0         # seconds the server may stay unreachable before points go to the journal
INIT_TIMEOUT = 5.0          # seconds init() tries to reach the server before logging offline
REQUEST_TIMEOUT = 30.0      # seconds for one HTTP request
REPLAY_WINDOW = 5.0         # seconds: batches acknowledged this long before an outage are sent again
REPLAY_MAX_POINTS = 200000  # at most this many acknowledged points are kept for that


class TrainyardError(Exception):
    """The server refused a request (a 4xx answer), or a journal cannot be synced."""


class Unreachable(Exception):
    """A connection error, a timeout, a 5xx or a 429: worth retrying."""


def say(message):
    if os.environ.get("TRAINYARD_SILENT", "") not in ("1", "true", "yes"):
        print("trainyard: " + message, file=sys.stderr, flush=True)


_warned = set()


def warn_once(topic, message):
    """One warning per topic per process (a bad key logged every step must not flood stderr)."""
    if topic in _warned:
        return
    if len(_warned) < 100000:
        _warned.add(topic)
    say("WARNING " + message)


def strict():
    return os.environ.get("TRAINYARD_STRICT", "") in ("1", "true", "yes")


def internal_error(where):
    """Called in an ``except`` block around tracking code: tracking must never break the training
    script, so the error is a warning; with TRAINYARD_STRICT=1 (the tests) it is raised again."""
    if strict():
        raise
    say("internal error in %s (tracking goes on; please report it):\n%s" % (where, traceback.format_exc()))


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        say("WARNING %s must be a number of seconds, not %r; using %g" % (name, value, default))
        return default


def state_dir(dir=None):
    return os.path.abspath(os.path.expanduser(dir or os.environ.get("TRAINYARD_DIR") or "~/.trainyard"))


_iso_second = [None, ""]


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text):
    """Text the server stores: it refuses NUL and lone UTF-16 surrogates (a console decoded with
    surrogateescape has them), so they become U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text) if _UNSTORABLE.search(text) else text


def iso(t):
    """Epoch seconds as ISO-8601 UTC with milliseconds; the formatted second is cached."""
    ms = int(round(t * 1000))
    second, ms = divmod(ms, 1000)
    cached = _iso_second
    if cached[0] != second:
        cached[1], cached[0] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)), second
    return "%s.%03dZ" % (cached[1], ms)


def json_value(v):
    if v != v:
        return "NaN"
    if v == INF:
        return "Infinity"
    if v == -INF:
        return "-Infinity"
    return v


def big(v):
    try:
        return float.__repr__(float(v))
    except OverflowError:
        return '"Infinity"' if v > 0 else '"-Infinity"'


def jsonable(obj, depth=0):
    """Config values as JSON the server accepts: no NaN tokens, string keys, no exotic objects."""
    if depth > 50:
        return str(obj)
    if obj is None or isinstance(obj, (str, bool, int)):
        return obj
    if isinstance(obj, float):
        return json_value(obj)
    if isinstance(obj, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v, depth + 1) for v in obj]
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return json_value(float(obj))
    if hasattr(obj, "__dict__") and type(obj).__name__ == "Namespace":  # argparse.Namespace
        return jsonable(vars(obj), depth + 1)
    item = scalar(obj)
    if item is not None:
        return json_value(item) if isinstance(item, float) else item
    return str(obj)


def valid_key(key):
    return type(key) is str and _KEY.match(key) is not None


def scalar(v):
    """v as a Python int or float if it is one number (numpy and torch scalars, 0-d tensors, one-element
    arrays), else None. Duck-typed: numpy and torch are never imported."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return v
    if v is None or isinstance(v, (str, bytes, bytearray, dict, list, tuple, set, frozenset, complex)):
        return None
    size = getattr(v, "size", None)
    if callable(size):  # torch: size() is the shape
        try:
            size = v.numel()
        except Exception:
            size = None
    if size is not None and size != 1:
        return None
    item = getattr(v, "item", None)
    if callable(item):
        try:
            v = item()
        except Exception:
            return None
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, (int, float)):
            return v
    if isinstance(v, numbers.Integral):
        return int(v)
    try:
        return float(v)  # Decimal, Fraction, anything with __float__
    except Exception:
        return None


def to_step(step):
    """An explicit step as an int, or raises ValueError saying why it is not one."""
    if isinstance(step, bool):
        raise ValueError("step must be an integer, not a bool")
    try:
        step = operator.index(step)
    except TypeError:
        s = scalar(step)
        if not isinstance(s, int) and not (isinstance(s, float) and s.is_integer()):
            raise ValueError("step must be an integer, not %r" % (step,)) from None
        step = int(s)
    if step < 0 or step > MAX_STEP:
        raise ValueError("step must be between 0 and %d, not %d" % (MAX_STEP, step))
    return step


class Http:
    """JSON over urllib. Returns (status, body); raises Unreachable for what is worth retrying."""

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
            raise Unreachable("%s %s: %s" % (method, path, e or type(e).__name__)) from None
        if status >= 500 or status in (408, 429):
            raise Unreachable("%s %s: HTTP %d %s" % (method, path, status, detail(raw)))
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode("utf-8", "replace")
        return status, data


def detail(raw):
    """The readable part of an RFC 9457 problem answer."""
    try:
        problem = json.loads(raw) if isinstance(raw, (bytes, str)) else raw
    except ValueError:
        return raw.decode("utf-8", "replace")[:300] if isinstance(raw, bytes) else str(raw)[:300]
    if isinstance(problem, dict):
        return problem.get("detail") or problem.get("title") or json.dumps(problem)
    return str(problem)[:300]


def retrying(http, method, path, body, budget, started=None):
    """Calls until an answer that is not Unreachable, with exponential backoff, for at most budget s."""
    started = time.monotonic() if started is None else started
    delay = 0.2
    while True:
        try:
            return http.call(method, path, body)
        except Unreachable:
            if time.monotonic() + delay - started > budget:
                raise
            time.sleep(delay * (0.75 + random.random() / 2))
            delay = min(delay * 2, 4.0)
