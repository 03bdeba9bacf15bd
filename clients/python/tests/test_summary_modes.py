"""define_metric(summary=...) as the runs table and the runs API use it: the key's own summary is the
mode its script defined, which a filter or sort on the bare key reads, while :last, :min, :max and
:mean still pick any one of them."""
import shutil
import tempfile
import unittest
import urllib.parse

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


class SummaryModeTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainyard-state-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.project = "py-summary-%d" % id(self)

    def logged(self, name, values, **define):
        run = trainyard.init(url=server.url, dir=self.dir, project=self.project, name=name)
        if define:
            trainyard.define_metric("loss", **define)
        for v in values:
            trainyard.log({"loss": v})
        trainyard.finish()
        return run.id

    def names(self, *conditions, sort=None):
        query = [("project", self.project)] + [("metric", c) for c in conditions]
        if sort:
            query.append(("sort", sort))
        page = server.call("GET", "/api/v1/runs?" + urllib.parse.urlencode(query))
        return [r["name"] for r in page["content"]]

    def test_define_metric_summary_is_the_keys_own_summary_in_filters_sorts_and_the_summary_table(self):
        best = self.logged("best-of", [0.9, 0.1, 0.7], summary="min")
        self.logged("last-of", [0.6, 0.3, 0.5])
        self.logged("peak-of", [0.2, 0.8, 0.4], summary="max")

        # the bare key reads each run's own summary: 0.1 (min), 0.5 (last), 0.8 (max)
        self.assertEqual(self.names("loss<0.6"), ["last-of", "best-of"])
        self.assertEqual(self.names(sort="summary.loss"), ["best-of", "last-of", "peak-of"])
        # an explicit mode reads the same aggregate of every run, whatever its definition
        self.assertEqual(sorted(self.names("loss:last<0.6")), ["last-of", "peak-of"])
        self.assertEqual(self.names(sort="summary.loss:max"), ["last-of", "peak-of", "best-of"])
        self.assertEqual(self.names("loss:mean>0.5"), ["best-of"])

        line = server.call("GET", "/api/v1/runs/%s/summary" % best)[0]
        self.assertEqual((line["key"], line["mode"], line["value"], line["min"], line["minStep"], line["max"], line["maxStep"]),
                         ("loss", "min", 0.1, 0.1, 1, 0.9, 0))
        self.assertEqual(line["last"], 0.7)


if __name__ == "__main__":
    unittest.main()
