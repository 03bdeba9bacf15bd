"""`import trainyard as wandb` as the only change: the tutorial's script, each wandb.init keyword, the
objects scripts touch (config, run, summary, define_metric, alert...), and the failure paths that
must never stop the training."""
import argparse
import decimal
import difflib
import fractions
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import uuid

import harness
import trainyard
import trainyard as wandb

HERE = os.path.dirname(os.path.abspath(__file__))
TUTORIAL = os.path.join(HERE, "scripts", "tutorial_wandb.py")
server = None


def setUpModule():
    global server
    harness.require_server()
    server = harness.Server().start()


def tearDownModule():
    if server is not None:
        server.close()


def ported(path):
    """The wandb script at path with `import wandb` changed to `import trainyard as wandb`, and nothing else."""
    with open(path) as f:
        original = f.read()
    port = original.replace("\nimport wandb\n", "\nimport trainyard as wandb\n")
    changed = [line for line in difflib.unified_diff(original.splitlines(), port.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-import wandb", "+import trainyard as wandb"], changed
    return port


def runs(**filters):
    query = "&".join("%s=%s" % kv for kv in filters.items())
    return server.call("GET", "/api/v1/runs?size=500" + ("&" + query if query else ""))["content"]


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


class Base(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainyard-state-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.addCleanup(wandb.finish)

    def init(self, **kwargs):
        kwargs.setdefault("project", "dropin")
        kwargs.setdefault("dir", self.dir)
        kwargs.setdefault("url", server.url)
        run = wandb.init(**kwargs)
        self.addCleanup(run.finish)
        return run

    def warns(self, text):
        return harness.Stderr(self, text)

    def values(self, run_id, key):
        return {p["step"]: p["value"] for p in server.history(run_id, key)["points"]}

    def sync(self, *paths, url=None):
        out = io.StringIO()
        failed = trainyard.sync(list(paths) or None, url=url, dir=self.dir, out=out)
        self.assertEqual(failed, 0, out.getvalue())
        return out.getvalue()


class TutorialTest(Base):
    """The tutorial's own tracking lines, run as a script: wandb.init(project = '...', entity='...'),
    wandb.run.name = 'rnn', 1000 epochs of wandb.log({'loss': ...})."""

    def rnn_runs(self):
        return [r for r in runs() if r.get("projectName") == "..." and r["name"] == "rnn"]

    def run_script(self, url):
        script = os.path.join(self.dir, "tutorial.py")
        with open(script, "w") as f:
            f.write(ported(TUTORIAL))
        result = subprocess.run([sys.executable, script], env=harness.client_env(url, self.dir), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("900 ", result.stdout)  # the script's own prints
        return result

    def assert_rnn_run(self, run):
        self.assertEqual((run["name"], run["projectName"], run["entity"], run["state"]), ("rnn", "...", "...", "FINISHED"))
        history = server.history(run["id"], "loss")
        self.assertEqual(history["total"], 1000)
        self.assertEqual(sorted(p["step"] for p in history["points"]), list(range(1000)))

    def test_the_tutorial_script_runs_with_only_its_import_changed(self):
        before = {r["id"] for r in self.rnn_runs()}
        result = self.run_script(server.url)
        self.assertNotIn("trainyard: ", result.stderr)  # no warning: every call meant something
        new = [r for r in self.rnn_runs() if r["id"] not in before]
        self.assertEqual(len(new), 1, new)
        self.assert_rnn_run(new[0])
        self.assertEqual(server.get_run(new[0]["id"])["project"], new[0]["project"])
        self.assertTrue(new[0]["project"].startswith("p-"), "'...' has no letters: a hashed slug")

    def test_server_down_at_init_the_script_trains_offline_and_sync_uploads_it(self):
        down = "http://127.0.0.1:%d" % harness.free_port()  # nothing listens there
        result = self.run_script(down)
        self.assertIn("cannot reach " + down, result.stderr)
        out = self.sync(url=server.url)
        self.assertIn("1000 point(s) uploaded, state FINISHED", out)
        journals = os.listdir(os.path.join(self.dir, "journal"))
        ids = [r["id"] for r in harness.journal(os.path.join(self.dir, "journal", journals[0])) if r["type"] == "id"]
        self.assert_rnn_run(server.get_run(ids[0]))


class KeywordTest(Base):
    """Each wandb.init keyword does what it means here."""

    def test_entity_group_and_job_type(self):
        run = self.init(project="Drop-in Check", entity="my-team", group="ablation", job_type="train", tags=["a"])
        self.assertEqual((run.project, run.entity, run.group, run.job_type), ("Drop-in Check", "my-team", "ablation", "train"))
        self.assertIn("train", run.tags)
        stored = server.get_run(run.id)
        self.assertEqual((stored["projectName"], stored["entity"], stored["group"], stored["jobType"]),
                         ("Drop-in Check", "my-team", "ablation", "train"))
        self.assertEqual(sorted(stored["tags"]), ["a", "train"])
        self.assertEqual(run.path, "my-team/Drop-in Check/" + run.id)

    def test_resume_allow_continues_the_steps_where_the_run_stopped(self):
        run_id = unique("res")
        first = self.init(id=run_id, resume="allow", name="resumable")
        self.assertEqual(first.id, run_id)
        self.assertFalse(first.resumed)
        for i in range(10):
            wandb.log({"loss": float(i)})
        first.summary["best"] = 0.5
        wandb.finish()
        second = self.init(id=run_id, resume="allow")
        self.assertTrue(second.resumed)
        self.assertEqual((second.id, second.name, second.step), (run_id, "resumable", 10))
        self.assertEqual(second.summary["best"], 0.5)
        self.assertEqual(server.get_run(run_id)["state"], "RUNNING")
        for i in range(5):
            wandb.log({"loss": 100.0 + i})
        wandb.finish()
        self.assertEqual(self.values(run_id, "loss"), {**{i: float(i) for i in range(10)},
                                                      **{10 + i: 100.0 + i for i in range(5)}})
        self.assertEqual(server.get_run(run_id)["state"], "FINISHED")

    def test_resume_must_continues_an_existing_run_and_refuses_a_missing_one_with_a_warning(self):
        run_id = unique("must")
        self.init(id=run_id)
        wandb.log({"x": 1.0})
        wandb.finish()
        again = self.init(id=run_id, resume="must")
        self.assertTrue(again.resumed)
        self.assertEqual(again.step, 1)
        wandb.finish()
        with self.warns("the server refused the run (HTTP 404"):
            missing = self.init(id=unique("nope"), resume="must")
        self.assertTrue(missing.offline)

    def test_resume_never_with_an_existing_id_goes_offline_with_a_warning(self):
        run_id = unique("never")
        self.init(id=run_id)
        wandb.finish()
        with self.warns("the server refused the run (HTTP 409"):
            clash = self.init(id=run_id, resume="never")
        self.assertTrue(clash.offline)
        wandb.log({"x": 1.0})  # the training goes on

    def test_resume_auto_continues_a_run_that_did_not_end_cleanly(self):
        for auto in ("auto", True):
            with self.subTest(resume=auto):
                project = unique("auto")
                first = self.init(project=project, resume=auto)
                for i in range(5):
                    wandb.log({"loss": float(i)})
                first.finish(exit_code=1)  # a crash: the resume file keeps the run
                with open(os.path.join(self.dir, "resume.json")) as f:
                    self.assertEqual(json.load(f)[project]["id"], first.id)
                second = self.init(project=project, resume=auto)
                self.assertEqual((second.id, second.resumed, second.step), (first.id, True, 5))
                wandb.log({"loss": 5.0})
                second.finish()  # a clean end: the next auto run is a new one
                third = self.init(project=project, resume=auto)
                self.assertNotEqual(third.id, first.id)
                self.assertFalse(third.resumed)
                third.finish()
                self.assertEqual(sorted(self.values(first.id, "loss")), list(range(6)))

    def test_a_run_resumed_while_offline_goes_on_from_the_servers_next_step_when_synced(self):
        run_id = unique("offres")
        self.init(id=run_id)
        for i in range(7):
            wandb.log({"loss": float(i)})
        wandb.finish()
        offline = self.init(id=run_id, resume="allow", mode="offline")
        for i in range(3):
            wandb.log({"loss": 10.0 + i})
        wandb.finish()
        self.assertIn("resumed run " + run_id, self.sync(offline.journal_path))
        self.assertEqual(self.values(run_id, "loss"), {**{i: float(i) for i in range(7)},
                                                      **{7 + i: 10.0 + i for i in range(3)}})

    def test_mode_offline_journals_and_sync_uploads(self):
        run = self.init(mode="offline", name="offline-mode", config={"lr": 0.1})
        self.assertTrue(run.offline)
        self.assertTrue(run.journal_path.startswith(os.path.join(self.dir, "journal")))
        for i in range(20):
            wandb.log({"loss": 1.0 / (i + 1)})
        wandb.config.update({"layers": 2})
        wandb.summary["best"] = 0.05
        wandb.finish()
        self.assertIn("20 point(s) uploaded", self.sync(run.journal_path))
        run_id = [r["id"] for r in harness.journal(run.journal_path) if r["type"] == "id"][0]
        stored = server.get_run(run_id)
        self.assertEqual((stored["name"], stored["config"], stored["summary"]["best"]),
                         ("offline-mode", {"lr": 0.1, "layers": 2}, 0.05))

    def test_mode_disabled_logs_nothing_and_the_script_runs(self):
        name = unique("disabled")
        run = self.init(mode="disabled", name=name, config={"lr": 0.1})
        self.assertTrue(run.disabled)
        wandb.run.name = "renamed"
        for i in range(10):
            wandb.log({"loss": float(i)})
        self.assertEqual(wandb.config.lr, 0.1)
        wandb.summary["best"] = 1.0
        wandb.define_metric("loss", summary="min")
        wandb.alert("nothing", "happens")
        wandb.finish()
        self.assertFalse(os.path.exists(os.path.join(self.dir, "journal")))
        self.assertEqual([r for r in runs() if r["name"] in (name, "renamed")], [])

    def test_config_from_a_dict_a_namespace_json_and_yaml_with_include_and_exclude(self):
        args = argparse.Namespace(lr=0.01, epochs=3, seed=7)
        json_path = os.path.join(self.dir, "config.json")
        with open(json_path, "w") as f:
            json.dump({"lr": 0.02, "hidden": 35, "secret": "x"}, f)
        cases = [({"config": {"lr": 0.5, "nested": {"a": 1}}}, {"lr": 0.5, "nested": {"a": 1}}),
                 ({"config": args}, {"lr": 0.01, "epochs": 3, "seed": 7}),
                 ({"config": args, "config_exclude_keys": ["seed"]}, {"lr": 0.01, "epochs": 3}),
                 ({"config": json_path}, {"lr": 0.02, "hidden": 35, "secret": "x"}),
                 ({"config": json_path, "config_include_keys": ["lr", "hidden"]}, {"lr": 0.02, "hidden": 35})]
        try:
            import yaml  # noqa: F401
            yaml_path = os.path.join(self.dir, "config-defaults.yaml")
            with open(yaml_path, "w") as f:
                f.write("lr:\n  desc: learning rate\n  value: 0.03\nbatch:\n  value: 64\n")
            cases.append(({"config": yaml_path}, {"lr": 0.03, "batch": 64}))
        except ImportError:
            pass
        for kwargs, expected in cases:
            with self.subTest(**{k: str(v) for k, v in kwargs.items()}):
                run = self.init(**kwargs)
                self.assertEqual(dict(run.config), expected)
                self.assertEqual(server.get_run(run.id)["config"], expected)
                run.finish()

    def test_a_config_file_that_cannot_be_read_is_a_warning(self):
        with self.warns("init(config="):
            run = self.init(config=os.path.join(self.dir, "missing.json"))
        self.assertEqual(dict(run.config), {})
        self.assertFalse(run.offline)

    def test_reinit(self):
        first = self.init(name="first")
        self.assertIs(self.init(name="ignored", reinit=False), first)
        self.assertIs(self.init(name="ignored", reinit="return_previous"), first)
        second = self.init(name="second")  # default: the previous run is finished
        self.assertEqual(server.get_run(first.id)["state"], "FINISHED")
        third = self.init(name="third", reinit="create_new")
        self.assertIs(wandb.run, third)
        self.assertEqual(server.get_run(second.id)["state"], "RUNNING")
        second.log({"x": 1.0})
        third.log({"x": 2.0})
        second.finish()
        third.finish()
        self.assertEqual((self.values(second.id, "x"), self.values(third.id, "x")), ({0: 1.0}, {0: 2.0}))

    def test_keywords_with_no_meaning_are_accepted_with_one_warning_each_per_process(self):
        future = "future_keyword_%s" % uuid.uuid4().hex[:6]
        with self.warns("ignored keyword(s) with no meaning in Trainyard: save_code, monitor_gym, settings, " + future):
            self.init(save_code=True, monitor_gym=True, settings=wandb.Settings(start_method="thread"),
                      **{future: 1})
        with self.warns(None):
            run = self.init(save_code=True, monitor_gym=True, **{future: 2})
        self.assertFalse(run.offline)

    def test_dir_holds_the_journal_and_the_resume_file(self):
        other = os.path.join(self.dir, "elsewhere")
        run = self.init(dir=other, mode="offline", resume="auto")
        self.assertEqual(run.dir, other)
        self.assertTrue(run.journal_path.startswith(os.path.join(other, "journal") + os.sep))
        self.assertTrue(os.path.exists(os.path.join(other, "resume.json")))


class ObjectTest(Base):
    """wandb.config, wandb.run, wandb.summary, log's values and steps, define_metric, alert and friends."""

    def test_config_reads_and_writes_like_wandbs_and_changes_reach_the_server(self):
        run = self.init(config={"lr": 0.1, "layers": 2})
        config = wandb.config
        self.assertIs(config, run.config)
        self.assertEqual((config.lr, config["layers"], config.get("missing", 5)), (0.1, 2, 5))
        self.assertEqual(sorted(config.keys()), ["layers", "lr"])
        self.assertEqual(sorted(config.items()), [("layers", 2), ("lr", 0.1)])
        with self.assertRaises(AttributeError):
            config.missing
        config.batch = 32
        config["dropout"] = 0.5
        with self.warns("the change to 0.2 was refused"):
            config.update({"lr": 0.2})
        self.assertEqual(config.lr, 0.1)
        config.update({"lr": 0.2}, allow_val_change=True)
        config.update(argparse.Namespace(seed=1))
        config.setdefaults({"lr": 9.0, "momentum": 0.9})
        self.assertEqual((config.lr, config.momentum), (0.2, 0.9))
        wandb.finish()
        self.assertEqual(server.get_run(run.id)["config"],
                         {"lr": 0.2, "layers": 2, "batch": 32, "dropout": 0.5, "seed": 1, "momentum": 0.9})

    def test_init_allow_val_change_lets_config_values_change(self):
        run = self.init(config={"lr": 0.1}, allow_val_change=True)
        run.config.lr = 0.3
        run.finish()
        self.assertEqual(server.get_run(run.id)["config"], {"lr": 0.3})

    def test_run_attributes(self):
        run = self.init(project="Drop-in Check", entity="ent", group="g", name="attrs")
        self.assertIs(wandb.run, run)
        self.assertTrue(run.id)
        self.assertEqual((run.name, run.project, run.entity, run.group), ("attrs", "Drop-in Check", "ent", "g"))
        self.assertEqual(run.url, server.url + "/runs/" + run.id)
        self.assertEqual(run.dir, self.dir)
        self.assertIs(run.summary, wandb.summary)
        self.assertIs(run.config, wandb.config)
        wandb.run.name = "renamed"
        run.log({"a": 1.0})
        run.finish()
        self.assertIsNone(wandb.run)
        self.assertEqual(server.get_run(run.id)["name"], "renamed")

    def test_summary_set_by_the_script_wins_and_is_stored(self):
        run = self.init()
        for v in (3.0, 1.0, 2.0):
            wandb.log({"loss": v, "acc": v / 10})
        self.assertEqual(dict(wandb.summary), {"loss": 2.0, "acc": 0.2})
        wandb.summary["loss"] = 0.5
        wandb.summary.update({"best_acc": 0.9, "eval": {"f1": 0.7}})
        wandb.log({"loss": 9.0})
        self.assertEqual(wandb.summary["loss"], 0.5)
        with self.warns("summary['text'] skipped"):
            wandb.summary["text"] = "not a number"
        wandb.finish()
        stored = server.get_run(run.id)["summary"]
        self.assertEqual((stored["loss"], stored["best_acc"], stored["eval/f1"], stored["acc"]), (0.5, 0.9, 0.7, 0.2))
        self.assertNotIn("text", stored)

    def test_define_metric_summary_modes_reach_the_summary_and_the_runs_sort(self):
        project = unique("modes")
        made = []
        for i, values in enumerate(([5.0, 1.0, 3.0], [4.0, 2.0, 2.5], [6.0, 0.5, 9.0])):
            run = self.init(project=project, name="r%d" % i)
            wandb.define_metric("loss", summary="min", goal="minimize")
            wandb.define_metric("acc", summary="max")
            wandb.define_metric("lr", summary="mean")
            wandb.define_metric("val/*", summary="max")
            for v in values:
                wandb.log({"loss": v, "acc": v, "lr": v, "val/a": v, "val/b": -v})
            self.assertEqual(wandb.summary["loss"], min(values))
            self.assertEqual(wandb.summary["lr"], sum(values) / 3)
            wandb.finish()
            made.append((run.id, values))
        for run_id, values in made:
            stored = server.get_run(run_id)["summary"]
            self.assertEqual((stored["loss"], stored["acc"], stored["val/a"], stored["val/b"]),
                             (min(values), max(values), max(values), max(-v for v in values)))
            self.assertAlmostEqual(stored["lr"], sum(values) / 3)
            keys = {k["key"]: k for k in server.call("GET", "/api/v1/runs/%s/metrics" % run_id)}
            self.assertEqual((keys["loss"]["summaryMode"], keys["loss"]["goal"], keys["val/b"]["summaryMode"]),
                             ("min", "minimize", "max"))
        slug = server.get_run(made[0][0])["project"]
        ordered = [r["name"] for r in runs(project=slug, sort="summary.loss")]
        self.assertEqual(ordered, ["r2", "r0", "r1"])  # by min loss: 0.5, 1.0, 2.0

    def test_define_metric_step_metric(self):
        run = self.init()
        wandb.define_metric("epoch")
        wandb.define_metric("val_loss", step_metric="epoch")
        for epoch in range(3):
            wandb.log({"val_loss": 1.0 / (epoch + 1), "epoch": epoch})
        wandb.finish()
        keys = {k["key"]: k for k in server.call("GET", "/api/v1/runs/%s/metrics" % run.id)}
        self.assertEqual(keys["val_loss"]["stepMetric"], "epoch")

    def test_alert_is_an_event_on_the_run(self):
        run = self.init()
        wandb.alert(title="loss is NaN", text="at epoch 3", level=wandb.AlertLevel.WARN)
        run.alert("done", "all good")
        wandb.finish()
        alerts = server.call("GET", "/api/v1/runs/%s/alerts" % run.id)
        self.assertEqual([(a["title"], a["text"], a["level"]) for a in alerts],
                         [("loss is NaN", "at epoch 3", "WARN"), ("done", "all good", "INFO")])

    def test_log_values_nested_dicts_and_numpy_scalars(self):
        run = self.init()
        values = {"int": 3, "bool": True, "decimal": decimal.Decimal("0.25"), "fraction": fractions.Fraction(1, 4),
                  "train": {"loss": 0.5, "deep": {"acc": 0.75}}}
        try:
            import numpy as np
            values.update({"np_f32": np.float32(0.5), "np_i64": np.int64(7), "np_0d": np.array(1.5),
                           "np_one": np.array([2.5]), "np_bool": np.bool_(False)})
            with self.warns("'np_vector' skipped"):
                run.log({"np_vector": np.arange(3.0)})
        except ImportError:
            pass
        run.log(values)
        run.finish()
        stored = {k["key"]: k["lastValue"] for k in server.call("GET", "/api/v1/runs/%s/metrics" % run.id)}
        expected = {"int": 3.0, "bool": 1.0, "decimal": 0.25, "fraction": 0.25, "train/loss": 0.5,
                    "train/deep/acc": 0.75}
        if "np_f32" in values:
            expected.update({"np_f32": 0.5, "np_i64": 7.0, "np_0d": 1.5, "np_one": 2.5, "np_bool": 0.0})
        self.assertEqual(stored, expected)

    def test_log_torch_scalars_and_0d_tensors(self):
        try:
            import torch
        except ImportError:
            self.skipTest("no torch in this Python (the client never imports it; Debian: python3-torch)")
        run = self.init()
        with self.warns("'vector' skipped"):
            run.log({"t": torch.tensor(1.5), "grad": torch.tensor(2.0, requires_grad=True) * 2,
                     "one": torch.tensor([3]), "flag": torch.tensor(True), "vector": torch.zeros(3)})
        run.finish()
        stored = {k["key"]: k["lastValue"] for k in server.call("GET", "/api/v1/runs/%s/metrics" % run.id)}
        self.assertEqual(stored, {"t": 1.5, "grad": 4.0, "one": 3.0, "flag": 1.0})

    def test_watch_save_login_and_termwarn_exist(self):
        with self.warns("watch(): Trainyard does not record gradients"):
            wandb.watch(object(), log="all")
        with self.warns("save('*.pt'): Trainyard does not store files"):
            self.assertEqual(wandb.save("*.pt"), [])
        with self.warns("trainyard: WARNING careful"):
            wandb.termwarn("careful")
        self.assertTrue(wandb.login(key="k-123", host=server.url))
        try:
            run = self.init(url=None)
            self.assertEqual(run.server_url, server.url)  # login(host=) is init's default
            self.assertEqual(run._http.api_key, "k-123")
        finally:
            trainyard._wandb._login.clear()

    def test_log_before_init_and_after_finish_are_warnings(self):
        wandb.finish()
        with self.warns("log() before init()"):
            wandb.log({"a": 1.0})
        run = self.init()
        run.finish()
        with self.warns("log() after finish() is not logged"):
            run.log({"a": 1.0})


class NeverBreaksTest(Base):
    """Tracking's own failures never stop the training; the script's own exceptions are never swallowed."""

    def test_an_internal_failure_is_a_warning_and_a_disabled_run_or_raises_under_strict(self):
        blocked = os.path.join(self.dir, "a-file")
        with open(blocked, "w") as f:
            f.write("not a directory")
        with self.assertRaises(OSError):  # TRAINYARD_STRICT=1: our own failure is raised
            wandb.init(project="dropin", mode="offline", dir=blocked)
        strict = os.environ.pop("TRAINYARD_STRICT")
        self.addCleanup(os.environ.__setitem__, "TRAINYARD_STRICT", strict)
        with self.warns("internal error in init()"):
            run = wandb.init(project="dropin", mode="offline", dir=blocked)
        self.assertTrue(run.disabled)
        wandb.log({"loss": 1.0})
        wandb.run.name = "still-fine"
        wandb.finish()

    def test_the_scripts_own_exception_goes_through(self):
        with self.assertRaises(ZeroDivisionError):
            with self.init() as run:
                run.log({"a": 1.0})
                1 / 0


if __name__ == "__main__":
    unittest.main()
