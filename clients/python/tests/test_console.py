"""The script's console and its process's system metrics: stdout and stderr are teed to the run's
log (the script's own output unchanged), sent in batches, journaled offline and synced later; a
refused upload is a warning and a journal entry, never an exception; CPU and memory come from /proc."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

import harness

server = None

SCRIPT = textwrap.dedent("""
    import sys, time, trainyard
    run = trainyard.init(project="py-console", name=sys.argv[1], system_interval=0.2, console="wrap",
                         init_timeout=1, retry_budget=1)
    print("run-id", run.id or "offline", file=sys.stderr, flush=True)
    print("hello from stdout")
    sys.stdout.write("a line ")
    sys.stdout.write("in two writes\\n")
    print("a warning on stderr", file=sys.stderr)
    for i in range(3):
        sys.stdout.write("\\rprogress %d/3" % (i + 1))
    print()
    for i in range(1500):
        print("epoch", i)
    deadline = time.time() + 1.0
    while time.time() < deadline:  # some CPU for the sampler to see
        sum(range(10000))
    trainyard.log({"loss": 0.5})
    print("the end", flush=True)
""")


def setUpModule():
    global server
    harness.require_server()
    server = harness.Server()


def tearDownModule():
    if server is not None:
        server.close()


class ConsoleTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainyard-state-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def script(self, name, code=SCRIPT):
        # bytes, decoded here: text=True would read the progress bar's \r as a newline
        result = subprocess.run([sys.executable, "-c", code, name], env=harness.client_env(server.url, self.dir),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        result.stdout, result.stderr = result.stdout.decode(), result.stderr.decode()
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def lines(self, run_id):
        page = server.call("GET", "/api/v1/runs/%s/logs?limit=10000" % run_id)
        return [(line["stream"], line["text"]) for line in page["lines"]]

    def run_id(self, result):
        return next(line.split()[1] for line in result.stderr.splitlines() if line.startswith("run-id "))

    def assert_captured(self, lines):
        self.assertIn(("stdout", "hello from stdout"), lines)
        self.assertIn(("stdout", "a line in two writes"), lines)
        self.assertIn(("stderr", "a warning on stderr"), lines)
        self.assertIn(("stdout", "progress 3/3"), lines, "a redrawn line keeps its last state")
        self.assertEqual([t for s, t in lines if t.startswith("epoch ")], ["epoch %d" % i for i in range(1500)])
        self.assertEqual(lines[-1], ("stdout", "the end"))

    def test_stdout_and_stderr_are_teed_to_the_runs_log_and_system_metrics_sampled(self):
        server.start()
        result = self.script("teed")
        self.addCleanup(server.stop)
        # the script's own output is what it printed, untouched
        self.assertTrue(result.stdout.startswith("hello from stdout\na line in two writes\n"
                                                 "\rprogress 1/3\rprogress 2/3\rprogress 3/3\nepoch 0\n"), result.stdout)
        self.assertTrue(result.stdout.endswith("epoch 1499\nthe end\n"))
        self.assertIn("a warning on stderr\n", result.stderr)
        run_id = self.run_id(result)
        lines = self.lines(run_id)
        self.assert_captured(lines)
        self.assertFalse(any(t.startswith("trainyard: ") and "refused" in t for s, t in lines))
        keys = {k["key"] for k in server.call("GET", "/api/v1/runs/%s/metrics" % run_id)}
        self.assertTrue({"loss", "system/cpu_percent", "system/rss_mb", "system/memory_percent"} <= keys, keys)
        cpu = server.history(run_id, "system/cpu_percent")["points"]
        self.assertGreaterEqual(len(cpu), 1, "a CPU figure needs two samples: the first, and the last at finish")
        self.assertTrue(all(0 <= p["value"] <= 100 for p in cpu))
        self.assertGreater(max(p["value"] for p in cpu), 0, "a second of busy work shows as CPU")
        rss = server.history(run_id, "system/rss_mb")["points"]
        self.assertGreaterEqual(len(rss), 2, "a sample at the start and one at finish")
        self.assertTrue(all(p["value"] > 1 for p in rss))
        self.assertEqual(server.history(run_id, "loss")["points"][0]["step"], 0, "system samples take no step of the script's")

    def test_console_off_captures_nothing(self):
        server.start()
        self.addCleanup(server.stop)
        code = SCRIPT.replace('system_interval=0.2, console="wrap"', 'system_interval=0, console="off"')
        result = self.script("quiet", code)
        run_id = self.run_id(result)
        self.assertEqual(self.lines(run_id), [])
        keys = {k["key"] for k in server.call("GET", "/api/v1/runs/%s/metrics" % run_id)}
        self.assertEqual(keys, {"loss"})

    def test_offline_lines_go_to_the_journal_and_sync_uploads_them(self):
        result = self.script("offline")  # the server is down
        self.assertIn("run-id offline", result.stderr)
        journals = os.listdir(os.path.join(self.dir, "journal"))
        self.assertEqual(len(journals), 1)
        records = harness.journal(os.path.join(self.dir, "journal", journals[0]))
        self.assertTrue(any(r["type"] == "logs" for r in records))
        server.start()
        self.addCleanup(server.stop)
        out = subprocess.run([sys.executable, "-m", "trainyard", "sync", "--dir", self.dir],
                             env=harness.client_env(server.url, self.dir), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=120).stdout
        self.assertIn("log line(s) uploaded", out)
        run_id = next(r["id"] for r in harness.journal(os.path.join(self.dir, "journal", journals[0]))
                      if r["type"] == "id")
        self.assert_captured(self.lines(run_id))

    def test_a_refused_upload_is_a_warning_and_a_journal_entry_never_an_exception(self):
        server.start()
        self.addCleanup(server.stop)
        code = textwrap.dedent("""
            import json, sys, time, urllib.request, trainyard
            run = trainyard.init(project="py-console", name="refused", system_interval=0, console="wrap")
            print("before the delete", flush=True)
            logs = sys.argv[2] + "/api/v1/runs/" + run.id + "/logs"
            deadline = time.time() + 60
            while not json.load(urllib.request.urlopen(logs))["lines"] and time.time() < deadline:
                time.sleep(0.1)  # sent within the flush interval
            urllib.request.urlopen(urllib.request.Request(sys.argv[2] + "/api/v1/runs/" + run.id, method="DELETE"))
            print("after the delete")
            trainyard.finish()
            print("still running", run.journal_path)
        """)
        result = subprocess.run([sys.executable, "-c", code, "refused", server.url],
                                env=harness.client_env(server.url, self.dir), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("before the delete\nafter the delete\nstill running ", result.stdout)
        self.assertIn("WARNING the server refused 1 log line(s): HTTP 404", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        journal_path = result.stdout.split("still running ")[1].strip()
        logs = [r for r in harness.journal(journal_path) if r["type"] == "logs"]
        self.assertEqual([line["text"] for r in logs for line in r["lines"]], ["after the delete"])
        self.assertIn("HTTP 404", logs[0]["refused"])


if __name__ == "__main__":
    unittest.main()
