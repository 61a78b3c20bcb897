"""``python readonly_exec.py DIR... -- ARGV...``: run ARGV with each DIR bind-mounted read-only
over itself. Meant to run inside ``unshare -m`` (a private mount namespace: nothing is seen
outside it); :func:`support.readonly_argv` builds the whole command."""

import os
import subprocess
import sys

sep = sys.argv.index("--")
for d in sys.argv[1:sep]:
    subprocess.run(["mount", "--bind", "-o", "ro", d, d], check=True, timeout=30)
os.execvp(sys.argv[sep + 1], sys.argv[sep + 1:])  # noqa: S606 - argv, no shell
