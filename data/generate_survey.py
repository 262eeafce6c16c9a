"""Write a synthetic survey export (labelled synthetic) whose aggregates match the published figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout: make the packages importable
    sys.path.insert(0, str(ROOT))

from graph.synthetic import generate_survey, write_csv, write_xlsx  # noqa: E402

DEFAULT_OUT = ROOT / "data" / "survey" / "survey-2021-synthetic.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=227, help="number of respondents (default 227)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (default 2021)")
    parser.add_argument("--countries", type=int, default=40, help="distinct countries (default 40)")
    parser.add_argument("--format", choices=("csv", "xlsx"), default=None, help="default: from --out")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    fmt = args.format or ("xlsx" if args.out.suffix.lower() == ".xlsx" else "csv")
    rows = generate_survey(args.n, args.seed, args.countries)
    (write_xlsx if fmt == "xlsx" else write_csv)(rows, args.out)
    print(f"wrote {len(rows)} synthetic respondents to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
