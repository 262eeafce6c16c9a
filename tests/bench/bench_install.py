"""Size of the runtime install: a fresh venv with `pip install .` (no dev extras), as `make run` makes.

Prints the total size of the venv and its largest distributions (files each one installed, from its
RECORD, so a dependency's own dependencies are listed on their own lines; "via" names who pulled it
in); aim: <= 350 MB. Then a smoke run in that venv: every runtime module imports and the CLI answers,
so a dependency that only the dev extra brings shows up here.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AIM_MB = 350
#: run inside the fresh venv: {distribution: [bytes, required by]} from each distribution's RECORD
SIZES = r"""
import importlib.metadata as md, json, re
from pathlib import Path
from typing import Any
out, needs = {}, {}
for d in md.distributions():
    name = d.metadata["Name"].lower().replace("_", "-")
    size = 0
    for f in d.files or []:
        try:
            size += Path(d.locate_file(f)).stat().st_size
        except OSError:
            pass
    out[name] = [size, ""]
    for r in d.requires or []:
        if "extra ==" not in r:
            needs.setdefault(re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower().replace("_", "-"), name)
for name, row in out.items():
    row[1] = needs.get(name, "")
print(json.dumps(out))
"""
SMOKE = (
    "import api.app, api.cli, api.workers, graph.ingest, graph.network.communities, graph.shacl, "
    "search.embeddings, search.index; search.embeddings.Embedder().encode_one('youth loneliness')"
)


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--extras", default="", help="e.g. dev, to measure the development install too")
    parser.add_argument("--top", type=int, default=25, help="how many distributions to list")
    args, _ = parser.parse_known_args()
    work = Path(tempfile.mkdtemp(prefix="mg-install-"))
    try:
        venv = work / "venv"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        target = f".[{args.extras}]" if args.extras else "."
        # a copy of the sources: pip builds in place otherwise and leaves build/ in the checkout
        src = work / "src"
        shutil.copytree(
            ROOT,
            src,
            ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.egg-info", "build", "test-artifacts"),
        )
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", target],
            check=True,
            cwd=src,
        )
        seconds = time.perf_counter() - started
        site = next((venv / "lib").glob("python3*/site-packages"))
        total = size(venv)
        python = str(venv / "bin" / "python")
        sizes = subprocess.run([python, "-c", SIZES], check=True, capture_output=True, text=True)
        packages: dict[str, list[Any]] = json.loads(sizes.stdout)
        packages["(site-packages, all)"] = [size(site), ""]
        label = f"pip install {target}"
        verdict = "within" if total <= AIM_MB * 1e6 else "ABOVE"
        print(f"runtime install ({label}) in a fresh venv: {total / 1e6:.0f} MB "
              f"({verdict} the {AIM_MB} MB aim), installed in {seconds:.0f} s")  # fmt: skip
        print("distributions (files each installed, .pyc included):")
        for name, (bytes_, via) in sorted(packages.items(), key=lambda kv: -kv[1][0])[: args.top]:
            print(f"  {name:<26} {bytes_ / 1e6:7.1f} MB  {('via ' + via) if via else ''}")
        smoke = subprocess.run([python, "-c", SMOKE], cwd=work, capture_output=True, text=True, check=False)
        cli = subprocess.run(
            [str(venv / "bin" / "missiongraph"), "--help"], capture_output=True, text=True, check=False
        )
        ok = smoke.returncode == 0 and cli.returncode == 0
        print(f"smoke run in the runtime venv (imports, an embedding, `missiongraph --help`): "
              f"{'ok' if ok else 'FAILED'}")  # fmt: skip
        if not ok:
            print(smoke.stderr[-2000:], cli.stderr[-2000:])
            return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
