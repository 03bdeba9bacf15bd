"""Which answers the client retries, against a scripted stand-in server (no jar needed)."""
import json
import shutil
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import trainyard


class Scripted(ThreadingHTTPServer):
    """Creates runs; answers POST .../metrics with the next scripted status (then 200)."""
    daemon_threads = True

    def __init__(self, statuses):
        super().__init__(("127.0.0.1", 0), Handler)
        self.statuses = list(statuses)
        self.posts = []        # (status answered, points in the body)
        self.patches = []
        self.lock = threading.Lock()
        self.url = "http://127.0.0.1:%d" % self.server_address[1]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body=None):
        raw = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def body(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_POST(self):
        body = self.body()
        if self.path == "/api/v1/runs":
            self.answer(201, {"id": "r1", "name": "scripted", "project": body["project"]})
        elif self.path.endswith("/metrics"):
            with self.server.lock:
                status = self.server.statuses.pop(0) if self.server.statuses else 200
                self.server.posts.append((status, len(body["points"])))
            self.answer(status, {"accepted": len(body["points"])} if status == 200 else {"detail": "scripted"})
        else:
            self.answer(204)

    def do_PATCH(self):
        self.server.patches.append(self.body())
        self.answer(200, {"id": "r1"})


class RetryPolicyTest(unittest.TestCase):

    def start(self, statuses):
        fake = Scripted(statuses)
        threading.Thread(target=fake.serve_forever, daemon=True).start()
        self.addCleanup(fake.server_close)
        self.addCleanup(fake.shutdown)
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, True)
        return fake, trainyard.Run(project="p", url=fake.url, dir=folder, retry_budget=30)

    def test_5xx_and_429_are_retried_until_accepted(self):
        fake, run = self.start([503, 500, 429])
        for i in range(10):
            run.log({"a": i})
        run.finish()
        self.assertEqual([s for s, _ in fake.posts], [503, 500, 429, 200])
        self.assertEqual(fake.posts[-1][1], 10)
        self.assertEqual(fake.patches, [{"state": "FINISHED"}])
        self.assertFalse(run.offline)

    def test_4xx_is_not_retried(self):
        fake, run = self.start([400])
        run.log({"a": 1})
        run.finish()
        self.assertEqual(fake.posts, [(400, 1)])
        self.assertEqual(fake.patches, [{"state": "FINISHED"}])

    def test_a_batch_over_the_server_limit_is_split(self):
        fake, run = self.start([413])
        for i in range(3000):
            run.log({"a": i})
        run.finish()
        self.assertEqual(fake.posts[0][0], 413)
        self.assertEqual(sum(n for s, n in fake.posts if s == 200), 3000)


if __name__ == "__main__":
    unittest.main()
