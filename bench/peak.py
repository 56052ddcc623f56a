"""Run a command-line Python program and report its own peak resident memory.

`python bench/peak.py OUTFILE manage.py import_registrations ...` (any working directory): writes the process's VmHWM (the
high-water mark of this process's memory since it started, which exec resets) to OUTFILE when it
exits. Not ru_maxrss from wait4: Linux carries a child's maximum over from the process it was forked
from, so a large bench process would inflate it.
"""

import atexit
import runpy
import sys
from pathlib import Path


def peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    out, program, *arguments = sys.argv[1:]
    atexit.register(lambda: Path(out).write_text(str(peak_kib())))
    sys.argv = [program, *arguments]
    sys.path[0] = str(Path(program).resolve().parent)  # as `python manage.py` would have it
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main()
