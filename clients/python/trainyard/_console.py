"""The script's console, captured the way wandb's ``console="wrap"`` does: sys.stdout's and
sys.stderr's ``write`` are wrapped, so every print still reaches the terminal unchanged (the
original write runs first, and its result or exception is the script's), and each finished line
is also queued for the run's log. Only Python-level writes are seen, not a C library's or a
subprocess's output to the file descriptors."""
import sys
import threading
import time

MAX_LINE = 10000      # the server's own cut; a longer unfinished line is sent in pieces
MAX_WAITING = 100000  # lines waiting to be sent; past it the oldest are dropped and counted

_active = None  # the Capture that owns the wrapped streams, if any


class Capture:
    """Queues (stream, text, time) lines into ``sink`` (a deque guarded by ``lock``); the sender's own
    thread is not captured, so its messages about refused uploads cannot feed themselves."""

    def __init__(self, sink, lock, ignored_thread=None):
        self.sink = sink
        self.lock = lock
        self.ignored_thread = ignored_thread
        self.dropped = 0
        self._partial = {"stdout": "", "stderr": ""}
        self._wrapped = []   # (stream object, had its own write attribute, that attribute)

    def start(self):
        global _active
        if _active is not None:
            _active.stop()  # one run captures at a time: the newest
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name, None)
            if stream is None:
                continue
            try:
                own = stream.__dict__.get("write") if hasattr(stream, "__dict__") else None
                stream.write = self._wrap(name, stream.write)
                self._wrapped.append((stream, own))
            except (AttributeError, TypeError):
                pass  # a stream that takes no attributes (a C object without __dict__) is left alone
        _active = self

    def _wrap(self, name, write):
        def tee(text):
            n = write(text)
            try:
                if threading.current_thread() is not self.ignored_thread:
                    self._feed(name, text)
            except Exception:
                pass  # the script's output matters more than its copy
            return n
        tee.__trainyard_original__ = write
        return tee

    def _feed(self, name, text):
        if not isinstance(text, str):
            text = str(text)
        now = time.time()
        with self.lock:  # threads of the script print at once; the sender takes lines under it too
            lines = (self._partial[name] + text).split("\n")
            self._partial[name] = lines.pop()
            if len(self._partial[name]) > MAX_LINE:
                lines.append(self._partial[name])
                self._partial[name] = ""
            for line in lines:
                # A progress bar redraws its line with \r: its last state is what a terminal shows.
                if "\r" in line:
                    line = line.rstrip("\r").rsplit("\r", 1)[-1]
                if len(self.sink) >= MAX_WAITING:
                    self.sink.popleft()
                    self.dropped += 1
                self.sink.append((name, line, now))

    def stop(self):
        """Puts the streams' write back and queues what is left of an unfinished line."""
        global _active
        for stream, own in self._wrapped:
            try:
                if own is None:
                    del stream.write
                else:
                    stream.write = own
            except (AttributeError, TypeError):
                pass
        self._wrapped = []
        for name in ("stdout", "stderr"):
            if self._partial[name]:
                self._feed(name, "\n")
        if _active is self:
            _active = None
