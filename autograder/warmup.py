"""Imported once by the fork server, so that no child pays torch's one-time costs or reads a file it may not.

Children confine themselves before student code runs; after that they cannot read the course (so the probe
modules must already be here) and lazy imports of the grader's own modules would fail. torch.optim's first
use imports torch._dynamo (about a second): done here unless the fork server was told the graded code never
builds an optimizer. matplotlib.pyplot (half a second) is registered lazily: a child that only imports it pays
nothing, one that plots loads it then. Nothing here computes, so no thread pool is started before the fork.
"""

import gc
import importlib
import os
import sys
import types

os.environ.setdefault("MPLBACKEND", "Agg")  # the children draw into nothing (set here, not in the grader's environment)

import torch  # noqa: E402
import torch.nn.functional  # noqa: F401
import torch.utils.data  # noqa: F401

from autograder import check_modules, feedback, payload, probes, sandbox  # noqa: F401
from autograder.course import COURSE_ENV
from autograder.forkserver import OPTIMIZERS_ENV


class LazyModule(types.ModuleType):
    """A stand-in for a module that imports the real one on the first attribute it is asked for."""

    def __getattr__(self, attr: str):
        real = sys.modules.get(self.__name__)
        if real is None or real is self:
            del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def lazy_import(name: str) -> None:
    """Put a LazyModule for `name` in sys.modules (its parent package is imported now)."""
    parent, _, child = name.rpartition(".")
    if parent:
        importlib.import_module(parent)
    module = LazyModule(name)
    module.__spec__ = None
    sys.modules[name] = module
    if parent:
        setattr(sys.modules[parent], child, module)


if os.environ.get(OPTIMIZERS_ENV, "1") != "0":
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1).step()
    torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)

try:
    lazy_import("matplotlib.pyplot")
except Exception:  # noqa: BLE001 (matplotlib missing or broken: a cell that imports it says so)
    pass

for name in ("landlockpy", "pyseccomp"):  # the sandbox's bindings (each may be missing: the plan says so)
    try:
        __import__(name)
    except Exception:  # noqa: BLE001 (pyseccomp raises RuntimeError without libseccomp)
        pass

check_modules.preload_course(os.environ.get(COURSE_ENV))

# what the fork server holds now is shared by every child: keep the collector from walking it (a walk
# writes to every object's header, and each page it writes is copied into the child)
gc.collect()
gc.freeze()
