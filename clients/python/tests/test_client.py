"""The client against a real server: batching, steps, values, run fields, exit states."""
import json
import math
import shutil
import socket
import tempfile
import textwrap
import time
import unittest

import harness
import trainyard

server = None


def setUpModule():
    global server
    harness.require_server()
    server = harness.Server().start()


def tearDownModule():
    if server is not None:
        server.close()


class ClientTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainyard-state-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def init(self, **kwargs):
        kwargs.setdefault("project", "py-client")
        run = trainyard.init(url=server.url, dir=self.dir, **kwargs)
        self.addCleanup(run.finish)
        return run

    def warns(self, text):
        return harness.Stderr(self, text)

    def values(self, run_id, key):
        return {p["step"]: p["value"] for p in server.history(run_id, key)["points"]}

    def test_many_log_calls_go_out_in_few_requests_and_every_point_is_stored(self):
        posts_before = server.metric_posts()
        run = self.init(name="batching")
        for i in range(5000):
            trainyard.log({"loss": 1.0 / (i + 1)})
        trainyard.finish()
        posts = server.metric_posts() - posts_before
        self.assertLessEqual(posts, 10, "5,000 log() calls took %d POST requests" % posts)
        self.assertGreaterEqual(posts, 1)
        history = server.history(run.id, "loss")
        self.assertEqual(history["total"], 5000)
        self.assertEqual(self.values(run.id, "loss"), {i: 1.0 / (i + 1) for i in range(5000)})
        self.assertEqual(server.get_run(run.id)["state"], "FINISHED")

    def test_points_reach_the_server_within_about_a_second_without_finish(self):
        run = self.init(name="timely")
        run.log({"a": 1.0})
        run.log({"a": 2.0})
        started = time.monotonic()
        arrived = harness.wait_until(lambda: server.history(run.id, "a")["total"] == 2, timeout=10)
        self.assertTrue(arrived)
        self.assertLess(time.monotonic() - started, 3.0)

    def test_steps_follow_wandb(self):
        run = self.init(name="steps")
        run.log({"a": 1})               # step 0
        run.log({"a": 2, "b": 20})      # step 1
        run.log({"a": 3}, step=10)      # step 10, pending until the step is committed
        run.log({"b": 30})              # joins step 10 and commits it
        run.log({"c": 5}, commit=False)  # step 11, does not advance
        run.log({"c": 7}, commit=False)  # the same step again: the last value wins
        run.log({"a": 6})               # step 11
        run.log({"a": 8}, step=12, commit=True)
        with self.warns("below the current step 13"):
            run.log({"a": 0}, step=3)       # refused, with a warning: steps only go forward
        run.log({"a": 9}, step=20)      # still pending: finish() commits it
        self.assertEqual(run.step, 20)
        self.assertEqual(run.summary, {"a": 9, "b": 30, "c": 7})
        run.finish()
        self.assertEqual(self.values(run.id, "a"), {0: 1.0, 1: 2.0, 10: 3.0, 11: 6.0, 12: 8.0, 20: 9.0})
        self.assertEqual(self.values(run.id, "b"), {1: 20.0, 10: 30.0})
        self.assertEqual(self.values(run.id, "c"), {11: 7.0})

    def test_nan_and_infinities_round_trip(self):
        run = self.init(name="non-finite")
        sent = [math.nan, math.inf, -math.inf, 1.5, -0.0, 1e308, 5e-324, True, 2 ** 60]
        for v in sent:
            run.log({"v": v})
        run.finish()
        got = [self.values(run.id, "v")[i] for i in range(len(sent))]
        self.assertEqual(got[:3], ["NaN", "Infinity", "-Infinity"])
        self.assertEqual(got[3:], [1.5, -0.0, 1e308, 5e-324, 1.0, float(2 ** 60)])
        self.assertEqual(server.get_run(run.id)["summary"]["v"], float(2 ** 60))

    def test_run_fields_reach_the_server(self):
        run = self.init(name="fields", config={"lr": 0.01, "hidden": 35, "sched": {"gamma": math.nan}},
                        tags=["rnn", "seed"], notes="first try")
        self.assertIs(trainyard.run, run)
        self.assertEqual(trainyard.config.lr, 0.01)
        self.assertEqual(run.name, "fields")
        run.name = "fields-renamed"  # as the tutorial does with wandb.run.name
        run.log({"loss": 3.0})
        run.log({"loss": 2.5})
        self.assertEqual(trainyard.summary, {"loss": 2.5})
        run.finish()
        self.assertIsNone(trainyard.run)
        stored = server.get_run(run.id)
        self.assertEqual(stored["name"], "fields-renamed")
        self.assertEqual(stored["project"], "py-client")
        self.assertEqual(stored["config"], {"lr": 0.01, "hidden": 35, "sched": {"gamma": "NaN"}})
        self.assertEqual(sorted(stored["tags"]), ["rnn", "seed"])
        self.assertEqual(stored["notes"], "first try")
        self.assertEqual(stored["summary"], {"loss": 2.5})
        self.assertEqual(run.url, server.url + "/runs/" + run.id)

    def test_a_generated_name_comes_back(self):
        run = self.init()
        self.assertTrue(run.name)
        self.assertEqual(server.get_run(run.id)["name"], run.name)

    def test_bad_keys_and_values_are_skipped_with_one_warning_each_never_raised(self):
        run = self.init(name="validation")
        for key in ["", "a:b", " a", "a ", "a\tb", "/a", "a/", "a//b", "a/../b", "./a", "..", "é", "x" * 251, 5, None]:
            with self.warns("%r skipped" % (key,)):
                run.log({key: 1.0})
            with self.warns(None):  # one warning per key
                run.log({key: 2.0})
        for i, value in enumerate(["1.0", None, [1.0, 2.0], b"1", object(), 1j, trainyard.Image("x.png")]):
            with self.warns("'v%d' skipped" % i):
                run.log({"v%d" % i: value})
        with self.warns("not list"):
            run.log([("ok", 1.0)])
        with self.warns("step"):
            run.log({"ok": 1.0}, step=-1)
        run.log({"ok": 1.0, "not:ok": 2.0})  # the good key of a call is logged
        good = ["a", "train/loss", "a.b", "a-b_c", "x" * 200, "a/b/c.d", "train loss", "val / top 5"]
        run.log({k: 1.0 for k in good})
        run.finish()
        self.assertEqual(sorted(k["key"] for k in server.call("GET", "/api/v1/runs/%s/metrics" % run.id)),
                         sorted(good + ["ok"]))
        self.assertEqual(self.values(run.id, "ok"), {run.step - 2: 1.0})

    def test_log_does_not_wait_for_a_server_that_stopped_answering(self):
        # A listening socket that never answers: every request hangs until its timeout.
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(100)
        self.addCleanup(silent.close)
        run = self.init(name="silent", retry_budget=1.5, request_timeout=0.5)
        run._http.url = "http://127.0.0.1:%d" % silent.getsockname()[1]
        slowest, started = 0.0, time.perf_counter()
        for i in range(20000):
            t = time.perf_counter()
            run.log({"x": float(i)})
            slowest = max(slowest, time.perf_counter() - t)
            if i % 5000 == 0:
                time.sleep(0.6)  # let the background thread hit the timeouts meanwhile
        mean = (time.perf_counter() - started - 4 * 0.6) / 20000
        self.assertLess(mean, 50e-6, "log() took %.1f us on average" % (mean * 1e6))
        self.assertLess(slowest, 0.1, "one log() call took %.3f s" % slowest)
        run.finish()  # gives up after the budget: everything goes to the journal
        self.assertTrue(run.offline)
        with open(run.journal_path) as f:
            records = [json.loads(line) for line in f]
        steps = {p["step"] for r in records if r["type"] == "points" for p in r["batch"]["points"]}
        self.assertEqual(steps, set(range(20000)))
        self.assertEqual(records[-1]["type"], "finish")
        self.assertEqual([r["id"] for r in records if r["type"] == "id"], [run.id])

    def test_a_with_block_finishes_the_run_failed_when_it_raises(self):
        with self.assertRaises(KeyError):
            with trainyard.init(project="py-client", name="with-block", url=server.url, dir=self.dir) as run:
                run.log({"a": 1.0})
                raise KeyError("x")
        self.assertEqual(server.get_run(run.id)["state"], "FAILED")
        self.assertEqual(server.history(run.id, "a")["total"], 1)
        with self.warns("log() after finish() is not logged"):
            run.log({"a": 2.0})

    def test_heartbeats_while_the_run_is_open(self):
        run = self.init(name="heartbeat", heartbeat_interval=0.3)
        first = server.get_run(run.id)["heartbeatAt"]
        self.assertTrue(harness.wait_until(lambda: server.get_run(run.id)["heartbeatAt"] != first, timeout=5))

    def test_a_run_the_server_refuses_goes_on_offline_with_a_warning(self):
        with self.warns("the server refused the run (HTTP 400"):
            run = self.init(name="refused", tags=[""])
        self.assertTrue(run.offline)
        run.log({"loss": 1.0})
        run.finish()
        self.assertEqual([r["type"] for r in harness.journal(run.journal_path)], ["run", "points", "finish"])


class ExitTest(unittest.TestCase):
    """A script's run ends with the script: FINISHED at a normal exit, FAILED on an uncaught exception."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainyard-state-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def child(self, body, prelude=""):
        code = "import sys\n" + textwrap.dedent(prelude) + textwrap.dedent("""
            import trainyard
            run = trainyard.init(project="py-exit", name=sys.argv[1])
            print(run.id, flush=True)
            for i in range(1500):
                trainyard.log({"loss": 1.0 / (i + 1)})
        """) + textwrap.dedent(body)
        result = harness.run_python(code, server.url, self.dir, args=[self.id().rsplit(".", 1)[-1]])
        run_id = result.stdout.split()[0] if result.stdout.split() else None
        self.assertIsNotNone(run_id, result.stderr)
        return result, run_id

    def assert_all_points(self, run_id):
        self.assertEqual(server.history(run_id, "loss")["total"], 1500)

    def test_normal_exit_finishes_the_run(self):
        result, run_id = self.child("")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(server.get_run(run_id)["state"], "FINISHED")
        self.assert_all_points(run_id)

    def test_uncaught_exception_fails_the_run_and_keeps_the_traceback(self):
        result, run_id = self.child("raise RuntimeError('boom at epoch 3')\n")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Traceback", result.stderr)
        self.assertIn("RuntimeError: boom at epoch 3", result.stderr)
        self.assertEqual(server.get_run(run_id)["state"], "FAILED")
        self.assert_all_points(run_id)

    def test_an_earlier_excepthook_still_runs(self):
        result, run_id = self.child("raise KeyError('x')\n", prelude="""
            def hook(t, e, tb):
                print("user hook saw", t.__name__, file=sys.stderr)
            sys.excepthook = hook
        """)
        self.assertIn("user hook saw KeyError", result.stderr)
        self.assertEqual(server.get_run(run_id)["state"], "FAILED")

    def test_sys_exit_with_an_error_code_fails_the_run(self):
        result, run_id = self.child("sys.exit(3)\n")
        self.assertEqual(result.returncode, 3)
        self.assertEqual(server.get_run(run_id)["state"], "FAILED")
        self.assert_all_points(run_id)

    def test_explicit_finish_with_an_exit_code(self):
        result, run_id = self.child("trainyard.finish(exit_code=2)\nprint('after')\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("after", result.stdout)
        self.assertEqual(server.get_run(run_id)["state"], "FAILED")


if __name__ == "__main__":
    unittest.main()
