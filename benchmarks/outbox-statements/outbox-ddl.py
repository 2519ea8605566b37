"""Prints the outbox's DDL as cache-client's OutboxSchema declares it (OUTBOX, then CLAIMS), one statement per line
group, each ending with a semicolon: the benchmark runs on the table the relay writes, not on a copy of it."""
import pathlib
import re
import sys

source = pathlib.Path(sys.argv[1]).read_text()
for name in ("OUTBOX", "CLAIMS"):
    declaration = re.search(r"List<String> %s = List\.of\((.*?)\);" % name, source, re.S)
    if declaration is None:
        sys.exit("no %s statements in %s" % (name, sys.argv[1]))
    for block in re.findall(r'"""\n(.*?)"""', declaration.group(1), re.S):
        print(block.strip() + ";")
