# The usage line says what the man page SYNOPSIS says.
set -e
"$LOGHUNT" --help > u
grep -q "usage: loghunt \[scan\] \[options\] path ..." u
grep -q "loghunt query \[options\] kql path ..." u
mandoc -Tascii "$TOP/man/loghunt.1" | col -b > m
grep -q "loghunt \[scan\] \[options\] path ..." m
grep -q "loghunt query \[options\] kql path ..." m
grep -q "loghunt rules \[--rules file\]" m
grep -q "loghunt explain rule" m
grep -q "loghunt analyze \[text ...\]" m
