# --progress: a line on stderr under a terminal (bytes, files, rate),
# erased at the end; never in a pipe unless asked for.
set -e
mkdir ev
for i in 1 2 3; do cp -R "$FIX/ev" "ev/$i"; done
python3 - "$LOGHUNT" ev <<'P'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    # stdout to a file, stderr stays on the terminal
    out = os.open("out.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.execv(sys.argv[1], [sys.argv[1], "-f", "json", sys.argv[2]])
data = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
text = data.decode("utf-8", "replace")
assert "loghunt: reading " in text and "files " in text and "MB/s" in text, repr(text)
assert text.endswith("\r\x1b[K"), repr(text[-40:])
P
test -s out.txt
! grep -q 'reading' out.txt
# in a pipe (auto): nothing on stderr
"$LOGHUNT" -f json ev > /dev/null 2> err || true
test ! -s err
# never, even when forced elsewhere; always, even in a pipe
"$LOGHUNT" -f json --progress never ev > /dev/null 2> err || true
test ! -s err
"$LOGHUNT" -f json --progress always ev > /dev/null 2> err || true
grep -q 'loghunt: reading .* files [0-9]*/[0-9]*' err
