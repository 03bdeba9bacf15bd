"""The client on a team server (sign-in on): it sends TRAINYARD_API_KEY, and without it is refused."""
import http.cookiejar
import io
import json
import re
import shutil
import tempfile
import unittest
import urllib.parse
import urllib.request

import harness
import trainyard

ADMIN_PASSWORD = "py-admin-password"
server = None


def setUpModule():
    global server
    harness.require_server()
    server = harness.Server(args=["--trainyard.auth.enabled=true",
                                  "--trainyard.auth.admin-password=" + ADMIN_PASSWORD]).start()


def tearDownModule():
    if server is not None:
        server.close()


def csrf(html):
    match = re.search(r'name="_csrf"\s+value="([^"]+)"', html) or re.search(r'<meta name="_csrf" content="([^"]+)"', html)
    return match.group(1)


def sign_in(username, password):
    """Signs in with the form, as a browser would: returns the cookie-holding opener and a page's CSRF token."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login_page = browser.open(server.url + "/login").read().decode()
    form = urllib.parse.urlencode({"username": username, "password": password, "_csrf": csrf(login_page)}).encode()
    browser.open(server.url + "/login", data=form)
    return browser, csrf(browser.open(server.url + "/account").read().decode())


def token_of(username, password):
    browser, token = sign_in(username, password)
    request = urllib.request.Request(server.url + "/api/v1/tokens", data=json.dumps({"name": "py"}).encode(),
                                     headers={"Content-Type": "application/json", "X-CSRF-TOKEN": token})
    return json.loads(browser.open(request).read())["token"]


def admin_token():
    return token_of("admin", ADMIN_PASSWORD)


def viewer_token():
    """The admin adds a viewer through the users page; the viewer signs in and makes a token."""
    browser, token = sign_in("admin", ADMIN_PASSWORD)
    form = urllib.parse.urlencode({"username": "py-viewer", "password": "py-viewer-password", "role": "VIEWER",
                                   "_csrf": token}).encode()
    browser.open(server.url + "/admin/users", data=form)
    return token_of("py-viewer", "py-viewer-password")


class TeamModeTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainyard-state-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_a_token_lets_the_client_log(self):
        token = admin_token()
        run = trainyard.init(project="py-team", url=server.url, dir=self.dir, api_key=token)
        for i in range(100):
            run.log({"loss": 1.0 / (i + 1)})
        run.finish()
        request = urllib.request.Request(server.url + "/api/v1/runs/%s/metrics/loss" % run.id,
                                         headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(request) as r:
            self.assertEqual(json.loads(r.read())["total"], 100)

    def test_without_a_token_the_run_goes_on_offline_and_syncs_with_one(self):
        with harness.Stderr(self, "the server refused the run (HTTP 401"):
            run = trainyard.init(project="py-team", name="no-token", url=server.url, dir=self.dir)
        self.assertTrue(run.offline)
        for i in range(50):
            trainyard.log({"loss": 1.0 / (i + 1)})
        trainyard.finish()
        out = io.StringIO()
        self.assertEqual(trainyard.sync([run.journal_path], out=out), 1, "no token: not synced")
        self.assertIn("401", out.getvalue())
        self.assertEqual(trainyard.sync([run.journal_path], api_key=admin_token(), out=out), 0, out.getvalue())
        self.assertIn("50 point(s) uploaded, state FINISHED", out.getvalue())

    def test_a_viewers_token_is_refused_and_the_run_goes_on_offline(self):
        with harness.Stderr(self, "the server refused the run (HTTP 403"):
            run = trainyard.init(project="py-team", name="viewer", url=server.url, dir=self.dir, api_key=viewer_token())
        self.assertTrue(run.offline)
        for i in range(20):
            run.log({"loss": 1.0 / (i + 1)})
        run.finish()
        self.assertEqual(trainyard.sync([run.journal_path], api_key=admin_token(), out=io.StringIO()), 0)
