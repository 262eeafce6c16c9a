"""One OpenBLAS thread per server process at run time: the request threads are the parallelism.

numpy and scipy bring OpenBLAS with a pool of one thread per core. In a server whose thread pool already
runs a request per core, every matrix product then hands its rows to threads that wait for a core: on two
busy cores a 4,700 × 384 product took 30 ms instead of 0.2 ms, and 32 clients queued behind it (see
docs/decisions/0009). ``OPENBLAS_NUM_THREADS`` works only before numpy is imported; this sets the loaded
libraries' pools through their own ``set_num_threads`` entry points instead, unless the operator set the
variable.
"""

from __future__ import annotations

import ctypes
import glob
import os
from pathlib import Path

__all__ = ["one_blas_thread", "blas_threads"]

#: the entry points of OpenBLAS builds (numpy's and scipy's wheels prefix and suffix their symbols)
_SET = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_GET = (
    "scipy_openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads64_",
    "openblas_get_num_threads",
)


def _libraries() -> list[str]:
    """Paths of the OpenBLAS libraries loaded in this process (after importing numpy and scipy)."""
    import numpy  # loads numpy's OpenBLAS
    import scipy.linalg  # loads scipy's

    found: set[str] = set()
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                path = line.rsplit(maxsplit=1)[-1]
                if "openblas" in Path(path).name.lower() and path.startswith("/"):
                    found.add(path)
    except OSError:  # not Linux: the wheels' library folders
        for package in (numpy, scipy):
            root = Path(package.__file__ or "").parent.parent
            found.update(glob.glob(str(root / f"{package.__name__}.libs" / "*openblas*")))
    return sorted(found)


def _call(names: tuple[str, ...], *args: int) -> list[int]:
    out = []
    for path in _libraries():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in names:
            fn = getattr(lib, name, None)
            if fn is not None:
                out.append(int(fn(*(ctypes.c_int(a) for a in args)) or 0))
                break
    return out


def one_blas_thread() -> bool:
    """Set every loaded OpenBLAS to one thread, unless ``OPENBLAS_NUM_THREADS`` is set (then the
    operator's choice stands). Whether a library was found and set."""
    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return False
    return bool(_call(_SET, 1))


def blas_threads() -> list[int]:
    """The thread count of each loaded OpenBLAS."""
    return _call(_GET)
