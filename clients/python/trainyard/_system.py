"""The script's process as system/... metrics, read from /proc (Linux; elsewhere there are none):
``cpu_percent`` (of all the CPUs this process may use, since the previous sample), ``rss_mb`` and
``memory_percent`` (of the machine's memory)."""
import os
import time

_CLOCK_TICKS = None


def _ticks():
    global _CLOCK_TICKS
    if _CLOCK_TICKS is None:
        _CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
    return _CLOCK_TICKS


def _cpu_seconds():
    with open("/proc/self/stat") as f:
        stat = f.read()
    # the command name, field 2, may hold spaces and parentheses: count the fields after its last ')'
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _ticks()  # utime and stime, fields 14 and 15


def _kb(path, key):
    with open(path) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def _cpus():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Sampler:
    """Call sample() every few seconds; it returns [(key, value)], empty where /proc cannot be read."""

    def __init__(self):
        self.available = os.path.exists("/proc/self/stat")
        self.step = 0
        self._last = self._cpu_now() if self.available else None

    def _cpu_now(self):
        try:
            return _cpu_seconds(), time.monotonic()
        except (OSError, ValueError, IndexError):
            return None

    def sample(self):
        if not self.available:
            return []
        values = []
        now = self._cpu_now()
        if now is not None and self._last is not None and now[1] > self._last[1] and self.step > 0:
            percent = 100.0 * (now[0] - self._last[0]) / ((now[1] - self._last[1]) * _cpus())
            values.append(("system/cpu_percent", max(0.0, min(100.0, percent))))
        self._last = now
        try:
            rss = _kb("/proc/self/status", "VmRSS")
            total = _kb("/proc/meminfo", "MemTotal")
        except (OSError, ValueError, IndexError):
            rss = total = None
        if rss is not None:
            values.append(("system/rss_mb", rss / 1024.0))
            if total:
                values.append(("system/memory_percent", 100.0 * rss / total))
        return values
