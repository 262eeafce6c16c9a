"""Size of the runtime install: a fresh venv with `pip install .` (no dev extras), as `make run` makes.

Prints the total size of the venv and its largest packages; aim: <= 350 MB.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AIM_MB = 350


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--extras", default="", help="e.g. dev, to measure the development install too")
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
        packages: dict[str, int] = {}
        for entry in site.iterdir():
            if entry.name.endswith((".dist-info", ".pth")) or entry.name == "__pycache__":
                continue
            name = entry.name.split(".")[0].lstrip("_")
            packages[name] = packages.get(name, 0) + (size(entry) if entry.is_dir() else entry.stat().st_size)
        label = f"pip install {target}"
        verdict = "within" if total <= AIM_MB * 1e6 else "ABOVE"
        print(f"runtime install ({label}) in a fresh venv: {total / 1e6:.0f} MB "
              f"({verdict} the {AIM_MB} MB aim), installed in {seconds:.0f} s")  # fmt: skip
        print("largest packages:")
        for name, bytes_ in sorted(packages.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {name:<24} {bytes_ / 1e6:7.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
