"""Imported once by the fork server, so that no child pays torch's one-time costs or reads a file it may not.

Children confine themselves before student code runs; after that they cannot read the course (so the probe
modules must already be here) and lazy imports of the grader's own modules would fail. Constructing the
first optimizer imports torch._dynamo (about 0.8 s); nothing here computes, so no thread pool is started
before the fork.
"""

import os

import torch
import torch.nn.functional  # noqa: F401
import torch.utils.data  # noqa: F401

from autograder import check_modules, feedback, payload, probes  # noqa: F401
from autograder.course import COURSE_ENV

torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)

for name in ("landlockpy", "pyseccomp"):  # the sandbox's bindings (each may be missing: the plan says so)
    try:
        __import__(name)
    except Exception:  # noqa: BLE001 (pyseccomp raises RuntimeError without libseccomp)
        pass

check_modules.preload_course(os.environ.get(COURSE_ENV))
