# Colour by severity: never in a pipe (auto), always when asked, and
# NO_COLOR (set and not empty) turns auto off - tested on a terminal.
set -e
"$LOGHUNT" --no-guide "$FIX/ev" > plain || true
! grep -q "$(printf '\033')" plain
"$LOGHUNT" --no-guide --color always "$FIX/ev" > col || true
grep -q "$(printf '\033\[1;33m')medium" col
python3 - "$LOGHUNT" "$FIX/ev" <<'P'
import os, pty, sys
def run(env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.argv[1], [sys.argv[1], "--no-guide", "--context", "0", sys.argv[2]], env)
    data = b""
    while True:
        try:
            c = os.read(fd, 65536)
        except OSError:
            break
        if not c:
            break
        data += c
    os.waitpid(pid, 0)
    return data
env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
assert b"\x1b[1;33mmedium" in run(env)
assert b"\x1b[1;33m" not in run(dict(env, NO_COLOR="1"))
assert b"\x1b[1;33mmedium" in run(dict(env, NO_COLOR=""))
P
