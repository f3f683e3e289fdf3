#!/usr/bin/env python3
"""Independent statements of the legacy Vietnamese encodings, for
tests/encodings.rs: prints `source<TAB>hex bytes<TAB>character` lines.

- iconv-tcvn: glibc's iconv decoding each byte 0xA0-0xFF from TCVN5712-1
  (VSCII-1, whose 0xA0-0xFF range holds TCVN3's letters);
- pypi-tcvn3, pypi-vni: the letter tables of the `vietnamese` PyPI package
  (pip install vietnamese==0.0.8), read from the package at test time.

Nothing here is copied into the repository's tables; the test compares.
"""
import inspect
import subprocess
import sys
import unicodedata

out = []

# glibc iconv, one byte per line.
data = b"".join(bytes([b]) + b"\n" for b in range(0xA0, 0x100))
result = subprocess.run(
    ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=True
)
lines = result.stdout.decode("utf-8").split("\n")
for b, line in zip(range(0xA0, 0x100), lines):
    line = unicodedata.normalize("NFC", line)
    if len(line) == 1:
        out.append(("iconv-tcvn", bytes([b]), line))

try:
    import vietnamese
except ImportError:
    sys.exit("legacy-oracle: the `vietnamese` package is missing (pip install vietnamese==0.0.8)")

tables = None
for _, cls in inspect.getmembers(vietnamese, inspect.isclass):
    try:
        obj = cls()
    except Exception:
        continue
    if all(hasattr(obj, a) for a in ("UNICODE", "TCVN3", "VNI_WIN")):
        tables = obj
if tables is None:
    sys.exit("legacy-oracle: no letter tables found in the `vietnamese` package")
for name, column in (("pypi-tcvn3", tables.TCVN3), ("pypi-vni", tables.VNI_WIN)):
    for letter, encoded in zip(tables.UNICODE, column):
        letter = unicodedata.normalize("NFC", letter)
        if len(letter) != 1 or not encoded:
            continue
        try:
            raw = encoded.encode("latin-1")
        except UnicodeEncodeError:
            raw = encoded.encode("cp1252")
        out.append((name, raw, letter))

for source, raw, letter in out:
    print(f"{source}\t{raw.hex().upper()}\t{letter}")
