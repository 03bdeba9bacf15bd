"""Trainyard client: log metrics from any Python script to a self-hosted Trainyard server.

The API has wandb's shape::

    import trainyard                       # or: import trainyard as wandb
    run = trainyard.init(project="seed-rnn", config={"lr": 0.01})
    for epoch in range(1000):
        ...
        trainyard.log({"loss": loss})      # one call = one step; returns in microseconds
    trainyard.finish()                     # or let the interpreter exit

Standard library only (Python >= 3.9). ``python -m trainyard sync`` uploads runs that were logged
offline. The package by concern: ``_run`` (a run, its config and summary, log), ``_sender`` (the
background thread: batches, retries, replay), ``_journal`` (the offline journal and sync),
``_wandb`` (the module-level API), ``_cli`` (the command line), ``_common`` (what they share).

Configuration, arguments first, then the environment:
  url      TRAINYARD_URL       server base URL (default http://localhost:8080)
  api_key  TRAINYARD_API_KEY   sent as ``Authorization: Bearer <key>``
  dir      TRAINYARD_DIR       local state; the offline journal is ``<dir>/journal/`` (default ~/.trainyard)
  mode     TRAINYARD_MODE      "online" (default), "offline" (journal only, sync later) or "disabled"
                               (WANDB_MODE is read too when TRAINYARD_MODE is unset)
  console  TRAINYARD_CONSOLE    "wrap" (default): the script's stdout and stderr also go to the run's log,
                               sent in batches (the script's own output is unchanged); "off" (WANDB_CONSOLE too)
  system_interval TRAINYARD_SYSTEM_INTERVAL  seconds between samples of the process's CPU and memory
                               from /proc, logged as system/... (default 5; 0 turns them off)
  TRAINYARD_STRICT=1           tracking's own internal errors are raised instead of warned (for tests)
"""
from . import _wandb
from ._common import __version__, TrainyardError
from ._journal import sync
from ._run import Config, Metric, Run, Summary
from ._cli import main
from ._wandb import AlertLevel, Audio, Histogram, Html, Image, Object3D, Settings, Table, Video, alert, \
    define_metric, finish, init, log, login, save, termerror, termlog, termwarn, unwatch, watch

__all__ = ["init", "log", "finish", "define_metric", "alert", "watch", "unwatch", "save", "login", "termlog",
           "termwarn", "termerror", "sync", "Run", "Config", "Summary", "Metric", "Settings", "AlertLevel",
           "Image", "Histogram", "Table", "Video", "Audio", "Html", "Object3D", "TrainyardError",
           "run", "config", "summary"]

_CURRENT = ("run", "config", "summary")


def __getattr__(name):
    # wandb.run, wandb.config and wandb.summary follow init() and finish(): read them from _wandb
    if name in _CURRENT:
        return getattr(_wandb, name)
    raise AttributeError("module 'trainyard' has no attribute %r" % (name,))


def __dir__():
    return sorted(list(globals()) + list(_CURRENT))
