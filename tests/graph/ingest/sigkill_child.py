"""Child of the SIGKILL test: loads a big export into an on-disk store, saying when the write starts."""

from __future__ import annotations

import sys
from pathlib import Path

from graph.ingest import load_survey
from graph.iris import Iris
from graph.store import OxigraphStore


def main(store_path: str, export: str) -> None:
    store = OxigraphStore(Path(store_path))

    def progress(done: int, total: int) -> None:
        if total and done * 3 == total * 2:  # validated and converted: the one write transaction starts now
            print("WRITING", flush=True)

    load_survey(store, Iris(), Path(export), progress=progress)
    print("COMMITTED", flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
