"""The module-level API, shaped like wandb's, so that ``import trainyard as wandb`` is the only change a
wandb script needs: init, log, finish, define_metric, alert, watch, save, login, termwarn..., and the
globals run, config and summary. Tracking never breaks training: what the server refuses is a
warning, and the run goes on in the offline journal."""
import atexit
import sys
import traceback

from . import _common
from ._common import internal_error, say, warn_once
from ._run import Media, Run, _on_finish, open_runs

run = None       # the current Run, as wandb.run
config = None    # the current run's Config, as wandb.config
summary = None   # the current run's Summary, as wandb.summary

_hooks = {"installed": False, "exit_code": None}
_login = {}      # login(key=..., host=...): defaults for init()

# Keywords of wandb.init() that mean nothing here: accepted, with one warning each per process.
IGNORED = ("save_code", "anonymous", "settings", "sync_tensorboard", "tensorboard", "monitor_gym", "magic", "force",
           "resume_from", "fork_from")
# Trainyard's own settings.
OWN = ("url", "api_key", "retry_budget", "init_timeout", "heartbeat_interval", "flush_interval", "flush_points",
       "request_timeout", "console", "system_interval")


def _forget(finished):
    global run, config, summary
    if run is finished:
        run, config, summary = None, None, None


_on_finish.append(_forget)


def init(project=None, entity=None, name=None, id=None, resume=None, group=None, job_type=None, tags=None,
         notes=None, config=None, config_exclude_keys=None, config_include_keys=None, dir=None, mode=None,
         reinit=None, allow_val_change=None, **settings):
    """Starts a run and makes it ``trainyard.run`` (and its config and summary ``trainyard.config`` and
    ``trainyard.summary``). Takes wandb.init's keywords; those with no meaning here are accepted with one
    warning. A refusal by the server, or a server out of reach, is a warning: the run goes on in the
    offline journal (``python -m trainyard sync`` uploads it later).

    ``reinit``: with a run still open, True / "finish_previous" / None finish it first, False /
    "return_previous" return it, "create_new" starts another beside it.
    Trainyard's own settings: url, api_key, retry_budget, init_timeout, heartbeat_interval,
    flush_interval, flush_points, request_timeout (seconds; see the package docstring), console
    ("wrap", the default: stdout and stderr are copied to the run's log; "off") and system_interval.
    """
    global run
    try:
        ignored = [k for k in settings if k not in OWN and settings[k] is not None]
        fresh = [k for k in ignored if ("init", k) not in _seen_keywords]
        if fresh:
            _seen_keywords.update(("init", k) for k in fresh)
            say("WARNING init(): ignored keyword(s) with no meaning in Trainyard: %s" % ", ".join(fresh))
        own = {k: v for k, v in settings.items() if k in OWN}
        if _login.get("api_key") and own.get("api_key") is None:
            own["api_key"] = _login["api_key"]
        if _login.get("url") and own.get("url") is None:
            own["url"] = _login["url"]
        if run is not None:
            if reinit in (False, "return_previous"):
                return run
            if reinit != "create_new":
                run.finish()
        new = Run(project=project, entity=entity, name=name, id=id, resume=resume, group=group, job_type=job_type,
                  tags=tags, notes=notes, config=config, config_exclude_keys=config_exclude_keys,
                  config_include_keys=config_include_keys, dir=dir, mode=mode, allow_val_change=allow_val_change,
                  **own)
    except Exception:
        internal_error("init()")
        new = Run(project=project, name=name, mode="disabled")
        say("WARNING this run logs nothing (disabled)")
    open_runs.add(new)
    _install_hooks()
    run = new
    globals().update(config=new.config, summary=new.summary)  # init's own `config` parameter hides the global
    return new


_seen_keywords = set()


def log(data, step=None, commit=None, sync=None):
    """Logs to ``trainyard.run``; see Run.log."""
    if run is None:
        warn_once("log-before-init", "log() before init(): not logged (call trainyard.init() first)")
        return
    run.log(data, step=step, commit=commit)


def finish(exit_code=None, quiet=None):
    """Finishes ``trainyard.run``, if any; see Run.finish."""
    if run is not None:
        run.finish(exit_code=exit_code)


def define_metric(name, step_metric=None, step_sync=None, hidden=None, summary=None, goal=None, overwrite=None,
                  **kwargs):
    """See Run.define_metric."""
    if run is None:
        warn_once("define-before-init", "define_metric() before init(): ignored (call trainyard.init() first)")
        return None
    return run.define_metric(name, step_metric=step_metric, step_sync=step_sync, hidden=hidden, summary=summary,
                             goal=goal, overwrite=overwrite, **kwargs)


class AlertLevel:
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"


def alert(title, text="", level=None, wait_duration=None):
    """Records an event on ``trainyard.run`` (no e-mail or Slack message: it shows on the run's page)."""
    if run is None:
        warn_once("alert-before-init", "alert() before init(): ignored (call trainyard.init() first)")
        return
    run.alert(title, text, level=level, wait_duration=wait_duration)


def watch(models=None, criterion=None, log="gradients", log_freq=1000, idx=None, log_graph=False):
    """Gradients and parameters are not recorded by Trainyard: does nothing, with one warning."""
    warn_once("watch", "watch(): Trainyard does not record gradients or parameters; ignored")


def unwatch(models=None):
    pass


def save(glob_str=None, base_path=None, policy="live"):
    """Files are not uploaded to Trainyard: does nothing, with one warning."""
    warn_once("save", "save(%r): Trainyard does not store files; ignored" % (glob_str,))
    return []


def login(anonymous=None, key=None, relogin=None, host=None, force=None, timeout=None, verify=False, **kwargs):
    """Remembers ``key`` (an API key) and ``host`` (the server URL) for the next init(); returns True."""
    if key:
        _login["api_key"] = key
    if host:
        _login["url"] = host
    return True


def termlog(string="", newline=True, repeat=True, prefix=True):
    _term("", string, repeat)


def termwarn(string, newline=True, repeat=True, prefix=True):
    _term("WARNING ", string, repeat)


def termerror(string, newline=True, repeat=True, prefix=True):
    _term("ERROR ", string, repeat)


def _term(level, string, repeat):
    topic = ("term", level, str(string))
    if not repeat and topic in _common._warned:
        return
    _common._warned.add(topic)
    say(level + str(string))


class Settings:
    """wandb.Settings(...): accepted so scripts that pass it run; its fields have no meaning here."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class Image(Media):
    pass


class Histogram(Media):
    pass


class Table(Media):
    pass


class Video(Media):
    pass


class Audio(Media):
    pass


class Html(Media):
    pass


class Object3D(Media):
    pass


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
