"""Imported once by the fork server so that no child pays torch's one-time start-up costs.

Constructing the first optimizer imports torch._dynamo (about 0.8 s); nothing here computes,
so no thread pool is started before the fork.
"""

import torch
import torch.nn.functional  # noqa: F401
import torch.utils.data  # noqa: F401

torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)
