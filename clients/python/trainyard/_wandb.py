"""The module-level API, shaped like wandb's: init, log, finish and the globals run, config, summary."""
import atexit
import sys
import traceback

from ._common import say
from ._run import Run, _on_finish, open_runs

run = None       # the current Run, as wandb.run
config = None    # the current run's Config, as wandb.config
summary = None   # the current run's summary dict, as wandb.summary

_hooks = {"installed": False, "exit_code": None}


def _forget(finished):
    global run, config, summary
    if run is finished:
        run, config, summary = None, None, None


_on_finish.append(_forget)


def init(project=None, name=None, config=None, tags=None, notes=None, url=None, api_key=None, **settings):
    """Starts a run and makes it ``trainyard.run``. A run still open from an earlier init() is finished.

    Keyword settings: mode ("online"|"offline"), dir, retry_budget, init_timeout, heartbeat_interval,
    flush_interval, flush_points, request_timeout (seconds; see the package docstring for defaults).
    """
    global run
    if run is not None:
        run.finish()
    new = Run(project=project, name=name, config=config, tags=tags, notes=notes, url=url, api_key=api_key, **settings)
    open_runs.add(new)
    _install_hooks()
    run = new
    globals()["config"] = new.config
    globals()["summary"] = new.summary
    return new


def log(data, step=None, commit=None):
    """Logs to ``trainyard.run``; see Run.log."""
    if run is None:
        raise RuntimeError("call trainyard.init() before trainyard.log()")
    run.log(data, step=step, commit=commit)


def finish(exit_code=0):
    """Finishes ``trainyard.run``, if any; see Run.finish."""
    if run is not None:
        run.finish(exit_code=exit_code)


def _install_hooks():
    if _hooks["installed"]:
        return
    _hooks["installed"] = True
    atexit.register(_at_exit)
    previous_hook = sys.excepthook
    previous_exit = sys.exit

    def excepthook(exc_type, exc, tb):
        try:
            previous_hook(exc_type, exc, tb)
        finally:
            _finish_all(1)

    def exit(code=None):
        _hooks["exit_code"] = code
        previous_exit(code)

    sys.excepthook = excepthook
    sys.exit = exit


def _at_exit():
    code = _hooks["exit_code"]
    _finish_all(0 if code is None or code == 0 else 1)


def _finish_all(exit_code):
    for r in list(open_runs):
        try:
            r.finish(exit_code=exit_code)
        except Exception:
            say("could not finish run %r:\n%s" % (r, traceback.format_exc()))
