"""Starts the packaged Trainyard server as a child process for the client tests.

The jar is TRAINYARD_JAR, or the newest target/trainyard-*.jar of the repository (built by
`./mvnw verify` or `./mvnw package`). Without one, the tests are skipped with a message.
"""
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

CLIENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # clients/python
REPO = os.path.dirname(os.path.dirname(CLIENT_DIR))
START_TIMEOUT = float(os.environ.get("TRAINYARD_TEST_START_TIMEOUT", "120"))


def find_jar():
    jar = os.environ.get("TRAINYARD_JAR")
    if jar:
        return jar if os.path.isfile(jar) else None
    jars = [j for j in glob.glob(os.path.join(REPO, "target", "trainyard-*.jar")) if not j.endswith(".original")]
    return max(jars, key=os.path.getmtime) if jars else None


def require_server():
    """Raises SkipTest, with the reason, when no server can be started."""
    if find_jar() is None:
        raise unittest.SkipTest("no server jar: build it with `./mvnw package -DskipTests` (looked for %s, "
                                "or set TRAINYARD_JAR)" % os.path.join(REPO, "target", "trainyard-*.jar"))
    if shutil.which("java") is None:
        raise unittest.SkipTest("no `java` on PATH to start the server")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server process on a fixed port and data directory, so it can be killed and started again."""

    def __init__(self, data_dir=None, port=None, args=(), jvm=("-XX:TieredStopAtLevel=1", "-Xshare:auto")):
        self.jar = find_jar()
        self.args = list(args)
        self.jvm = list(jvm)  # the tests' default starts fast (C1 only); benchmarks pass () for the full JIT
        self.tmp = tempfile.mkdtemp(prefix="trainyard-pytest-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        self.port = port or free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.process = None
        self.starts = 0

    def start(self):
        assert self.process is None, "already running"
        self.starts += 1
        log = open(os.path.join(self.tmp, "server-%d.log" % self.starts), "wb")
        command = ["java"] + self.jvm + ["-jar", self.jar,
                   "--server.port=%d" % self.port, "--trainyard.data-dir=" + self.data_dir] + self.args
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited with %s; see %s" % (self.process.returncode, self.log_tail()))
            try:
                with urllib.request.urlopen(self.url + "/actuator/health", timeout=2) as r:
                    if json.loads(r.read()).get("status") == "UP":
                        return self
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError("the server did not come up within %ss" % START_TIMEOUT)

    def kill(self):
        """SIGKILL: no shutdown hook, no flush; what a crash or an OOM killer does."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def close(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, lines=30):
        path = os.path.join(self.tmp, "server-%d.log" % self.starts)
        try:
            with open(path, "rb") as f:
                return "\n".join(f.read().decode("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return path

    # -- REST helpers for assertions (independent of the client under test)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def get_run(self, run_id):
        return self.call("GET", "/api/v1/runs/" + run_id)

    def history(self, run_id, key):
        return self.call("GET", "/api/v1/runs/%s/metrics/%s?maxPoints=100000" % (run_id, key))

    def metric_posts(self):
        """How many POST .../metrics requests the server has answered (Spring Boot's own count)."""
        path = ("/actuator/metrics/http.server.requests?tag=uri:/api/v1/runs/%7Bid%7D/metrics&tag=method:POST")
        try:
            answer = self.call("GET", path)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return 0  # no such request yet
            raise
        return int(next(m["value"] for m in answer["measurements"] if m["statistic"] == "COUNT"))


def client_env(server_url, state_dir):
    """The environment of a child Python process using the client from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = CLIENT_DIR + os.pathsep + env.get("PYTHONPATH", "")
    env["TRAINYARD_URL"] = server_url
    env["TRAINYARD_DIR"] = state_dir
    env.pop("TRAINYARD_API_KEY", None)
    return env


def run_python(code, server_url, state_dir, timeout=120, args=()):
    return subprocess.run([sys.executable, "-c", code] + list(args), env=client_env(server_url, state_dir),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)


def wait_until(predicate, timeout=30, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# The tests want tracking's own bugs raised, not warned (see trainyard._common.internal_error).
os.environ.setdefault("TRAINYARD_STRICT", "1")


def journal(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


class Stderr:
    """``with Stderr(test, "text"):`` asserts that the block wrote text to stderr (the client's
    warnings); ``Stderr(test, None)`` that it wrote nothing. What was written is echoed."""

    def __init__(self, test, text):
        self.test, self.text = test, text

    def __enter__(self):
        import contextlib
        import io
        self.buffer = io.StringIO()
        self._redirect = contextlib.redirect_stderr(self.buffer)
        self._redirect.__enter__()
        return self.buffer

    def __exit__(self, *exc):
        self._redirect.__exit__(*exc)
        written = self.buffer.getvalue()
        sys.stderr.write(written)
        if exc[0] is None:
            if self.text is None:
                self.test.assertEqual(written, "", "expected no warning")
            else:
                self.test.assertIn(self.text, written)
        return False
