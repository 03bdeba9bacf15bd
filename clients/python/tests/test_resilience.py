"""Nothing logged is lost: the server killed mid-run and started again; the server down from the start
(offline journal, then `python -m trainyard sync`, twice)."""
import json
import math
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import harness
import trainyard

server = None


def setUpModule():
    global server
    harness.require_server()
    server = harness.Server()  # each test starts it when it needs it


def tearDownModule():
    if server is not None:
        server.close()


def journal(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


class ResilienceTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainyard-state-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def sync(self, *args):
        result = subprocess.run([sys.executable, "-m", "trainyard", "sync", "--dir", self.dir] + list(args),
                                env=harness.client_env(server.url, self.dir), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout)
        return result.stdout

    def runs_named(self, project, name):
        page = server.call("GET", "/api/v1/runs?project=%s&size=500" % project)
        return [r for r in page["content"] if r["name"] == name]

    def test_offline_journal_then_sync_twice(self):
        server.stop()  # down at init
        run = trainyard.init(project="py-offline", name="offline-run", config={"lr": 0.5}, tags=["offline"],
                             url=server.url, dir=self.dir, init_timeout=0.5)
        self.assertTrue(run.offline)
        self.assertIsNone(run.id)
        for i in range(2500):
            run.log({"loss": 1.0 / (i + 1), "acc": i / 2500})
        run.log({"loss": math.nan})
        run.name = "offline-renamed"
        run.finish()
        records = journal(run.journal_path)
        self.assertEqual(records[0]["type"], "run")
        self.assertEqual(records[0]["url"], server.url)
        self.assertEqual(records[-1], dict(records[-1], type="finish", state="FINISHED"))

        server.start()
        out = self.sync()
        self.assertIn("5001 point(s) uploaded, state FINISHED", out)
        created = [r["id"] for r in journal(run.journal_path) if r["type"] == "id"]
        self.assertEqual(len(created), 1, "the created id is remembered in the journal")
        run_id = created[0]
        stored = server.get_run(run_id)
        self.assertEqual((stored["name"], stored["state"], stored["config"], stored["tags"]),
                         ("offline-renamed", "FINISHED", {"lr": 0.5}, ["offline"]))
        loss = server.history(run_id, "loss")
        self.assertEqual(loss["total"], 2501)
        values = {p["step"]: p["value"] for p in loss["points"]}
        self.assertEqual(values[2500], "NaN")
        self.assertEqual(values[7], 1.0 / 8)
        self.assertEqual(server.history(run_id, "acc")["total"], 2500)

        # Again: nothing to do, nothing doubled.
        self.assertIn("already synced", self.sync())
        # A sync that died after creating the run and posting points, before its "synced" mark:
        with open(run.journal_path) as f:
            kept = [line for line in f if '"type":"synced"' not in line]
        with open(run.journal_path, "w") as f:
            f.writelines(kept)
        self.assertIn("5001 point(s) uploaded", self.sync())
        self.assertEqual(len(self.runs_named("py-offline", "offline-renamed")), 1, "the run was created once")
        self.assertEqual(server.history(run_id, "loss")["total"], 2501)
        self.assertEqual(server.history(run_id, "acc")["total"], 2500)

    def test_a_server_that_never_answers_init_is_a_timeout_and_the_run_goes_on_offline(self):
        silent = socket.socket()  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(10)
        self.addCleanup(silent.close)
        url = "http://127.0.0.1:%d" % silent.getsockname()[1]
        with harness.Stderr(self, "cannot reach " + url):
            run = trainyard.init(project="py-offline", name="init-timeout", url=url, dir=self.dir, init_timeout=0.5)
        self.assertTrue(run.offline)
        for i in range(100):
            run.log({"loss": 1.0 / (i + 1)})
        run.finish()
        points = [p for r in journal(run.journal_path) if r["type"] == "points" for p in r["batch"]["points"]]
        self.assertEqual(len(points), 100)

    def test_server_killed_mid_run_and_restarted_loses_no_point(self):
        if server.process is None:
            server.start()
        steady = trainyard.Run(project="py-restart", name="steady", url=server.url, dir=self.dir, retry_budget=180)
        # A second run, with a budget shorter than the outage: it moves to the journal mid-run.
        brief = trainyard.Run(project="py-restart", name="brief", url=server.url, dir=self.dir, retry_budget=2)
        self.addCleanup(steady.finish)
        self.addCleanup(brief.finish)
        logged, slowest = 0, 0.0

        def log_some(n):
            nonlocal logged, slowest
            for _ in range(n):
                t = time.perf_counter()
                steady.log({"x": logged * 0.5, "y": -logged})
                brief.log({"x": logged * 0.25})
                slowest = max(slowest, time.perf_counter() - t)
                logged += 1
                time.sleep(0.0005)

        log_some(1500)
        # Kill it right after it acknowledged a batch: the worst moment for the points just sent.
        acknowledged = steady.points_sent
        self.assertTrue(harness.wait_until(lambda: steady.points_sent > acknowledged, timeout=10, interval=0.001))
        server.kill()
        restarted = threading.Thread(target=server.start)
        restarted.start()
        while restarted.is_alive():  # keep training while the server is down and starting
            log_some(100)
        log_some(500)
        self.assertLess(slowest, 0.1, "log() took %.3f s while the server was down" % slowest)
        steady.finish()
        brief.finish()

        stored = server.get_run(steady.id)
        self.assertEqual(stored["state"], "FINISHED")
        for key, value in (("x", lambda i: i * 0.5), ("y", lambda i: float(-i))):
            history = server.history(steady.id, key)
            self.assertEqual(history["total"], logged, "%s: %d of %d points stored" % (key, history["total"], logged))
            self.assertEqual({p["step"]: p["value"] for p in history["points"]}, {i: value(i) for i in range(logged)})

        self.assertTrue(brief.offline)
        self.assertIn("state FINISHED", self.sync(brief.journal_path))
        self.assertEqual(server.get_run(brief.id)["state"], "FINISHED")
        history = server.history(brief.id, "x")
        self.assertEqual({p["step"]: p["value"] for p in history["points"]}, {i: i * 0.25 for i in range(logged)})


if __name__ == "__main__":
    unittest.main()
