"""Known-wrong answers (mutants) and unusual right answers (variants) for 03_pytorch_builtins.

Every `old` occurs verbatim in the instructor's solution cell named by `grade_id`
(source/03_pytorch_builtins/03_pytorch_builtins.ipynb). `visible=True` means the notebook's own check
cell for that exercise was verified to print something other than "Exercise N: OK" (or to raise).
"""

from autograder.mutation import Mutant, Variant

MUTANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_regression
    Mutant(
        "weight_transposed",
        grade_id="linear_regression",
        visible=True,
        code=(
            "\n"
            "class LinearRegression(nn.Module):\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        k = 1.0 / in_features ** 0.5\n"
            "        self.weight = nn.Parameter(torch.empty(in_features, out_features).uniform_(-k, k))\n"
            "        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))\n"
            "\n"
            "    def forward(self, x):\n"
            "        ### END SOLUTION"
        ),
    ),
    Mutant(
        "bias_shape_row",
        grade_id="linear_regression",
        visible=True,
        code=(
            "class LinearRegression(nn.Module):\n"
            '    """Linear model y = x @ weight.T + bias; weight (out_features, in_features), bias (out_features,)."""\n'
            "\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        ### BEGIN SOLUTION\n"
            "        k = 1.0 / in_features ** 0.5\n"
            "        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))\n"
            "        self.bias = nn.Parameter(torch.empty(1, out_features).uniform_(-k, k))\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def forward(self, x):\n"
            '        """x: (N, in_features) -> predictions (N, out_features)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        return x @ self.weight.T + self.bias\n"
        ),
    ),
    Mutant(
        "parameters_not_registered",
        grade_id="linear_regression",
        visible=True,
        code=(
            "\n"
            "class LinearRegression(nn.Module):\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        k = 1.0 / in_features ** 0.5\n"
            "        self.weight = torch.empty(out_features, in_features).uniform_(-k, k).requires_grad_()\n"
            "        self.bias = torch.empty(out_features).uniform_(-k, k).requires_grad_()\n"
            "\n"
            "    def forward(self, x):\n"
            "        ### END SOLUTION"
        ),
    ),
    Mutant(
        "randn_init",
        grade_id="linear_regression",
        visible=True,
        code=(
            "class LinearRegression(nn.Module):\n"
            '    """Linear model y = x @ weight.T + bias; weight (out_features, in_features), bias (out_features,)."""\n'
            "\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        ### BEGIN SOLUTION\n"
            "        k = 1.0 / in_features ** 0.5\n"
            "        self.weight = nn.Parameter(torch.randn(out_features, in_features))\n"
            "        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def forward(self, x):\n"
            '        """x: (N, in_features) -> predictions (N, out_features)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        return x @ self.weight.T + self.bias\n"
        ),
    ),
    Mutant(
        "forward_without_bias",
        grade_id="linear_regression",
        visible=True,
        code=(
            "class LinearRegression(nn.Module):\n"
            '    """Linear model y = x @ weight.T + bias; weight (out_features, in_features), bias (out_features,)."""\n'
            "\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        ### BEGIN SOLUTION\n"
            "        k = 1.0 / in_features ** 0.5\n"
            "        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))\n"
            "        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def forward(self, x):\n"
            '        """x: (N, in_features) -> predictions (N, out_features)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        return x @ self.weight.T\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 2: fit
    Mutant(
        "fit_no_zero_grad",
        grade_id="fit",
        visible=True,
        code=(
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            '    """Train `model` in place; return the batch-size-weighted mean training loss of every epoch."""\n'
            "    history = []\n"
            "    ### BEGIN SOLUTION\n"
            "    for epoch in range(epochs):\n"
            "        total, count = 0.0, 0\n"
            "        for xb, yb in loader:\n"
            "            loss = loss_fn(model(xb), yb)\n"
            "            loss.backward()\n"
            "            optimizer.step()\n"
            "            total += loss.item() * len(xb)\n"
            "            count += len(xb)\n"
            "        history.append(total / count)\n"
            "    ### END SOLUTION\n"
            "    return history\n"
        ),
    ),
    Mutant(
        "fit_zero_grad_after_backward",
        grade_id="fit",
        visible=True,
        code=(
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            '    """Train `model` in place; return the batch-size-weighted mean training loss of every epoch."""\n'
            "    history = []\n"
            "    ### BEGIN SOLUTION\n"
            "    for epoch in range(epochs):\n"
            "        total, count = 0.0, 0\n"
            "        for xb, yb in loader:\n"
            "            loss = loss_fn(model(xb), yb)\n"
            "            loss.backward()\n"
            "            optimizer.zero_grad()\n"
            "            optimizer.step()\n"
            "            total += loss.item() * len(xb)\n"
            "            count += len(xb)\n"
            "        history.append(total / count)\n"
            "    ### END SOLUTION\n"
            "    return history\n"
        ),
    ),
    Mutant(
        "fit_unweighted_batch_mean",
        grade_id="fit",
        visible=True,
        code=(
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            '    """Train `model` in place; return the batch-size-weighted mean training loss of every epoch."""\n'
            "    history = []\n"
            "    ### BEGIN SOLUTION\n"
            "    for epoch in range(epochs):\n"
            "        total, count = 0.0, 0\n"
            "        for xb, yb in loader:\n"
            "            loss = loss_fn(model(xb), yb)\n"
            "            optimizer.zero_grad()\n"
            "            loss.backward()\n"
            "            optimizer.step()\n"
            "            total += loss.item()\n"
            "            count += 1\n"
            "        history.append(total / count)\n"
            "    ### END SOLUTION\n"
            "    return history\n"
        ),
    ),
    Mutant(
        "fit_reports_last_batch_loss",
        grade_id="fit",
        visible=True,
        code=(
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            '    """Train `model` in place; return the batch-size-weighted mean training loss of every epoch."""\n'
            "    history = []\n"
            "    ### BEGIN SOLUTION\n"
            "    for epoch in range(epochs):\n"
            "        total, count = 0.0, 0\n"
            "        for xb, yb in loader:\n"
            "            loss = loss_fn(model(xb), yb)\n"
            "            optimizer.zero_grad()\n"
            "            loss.backward()\n"
            "            optimizer.step()\n"
            "            total += loss.item() * len(xb)\n"
            "            count += len(xb)\n"
            "        history.append(loss.item())\n"
            "    ### END SOLUTION\n"
            "    return history\n"
        ),
    ),
    Mutant(
        "fit_reports_sum",
        grade_id="fit",
        visible=True,
        code=(
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            '    """Train `model` in place; return the batch-size-weighted mean training loss of every epoch."""\n'
            "    history = []\n"
            "    ### BEGIN SOLUTION\n"
            "    for epoch in range(epochs):\n"
            "        total, count = 0.0, 0\n"
            "        for xb, yb in loader:\n"
            "            loss = loss_fn(model(xb), yb)\n"
            "            optimizer.zero_grad()\n"
            "            loss.backward()\n"
            "            optimizer.step()\n"
            "            total += loss.item() * len(xb)\n"
            "            count += len(xb)\n"
            "        history.append(total)\n"
            "    ### END SOLUTION\n"
            "    return history\n"
        ),
    ),
    Mutant(
        "fit_keeps_tensors",
        grade_id="fit",
        visible=True,
        code=(
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            '    """Train `model` in place; return the batch-size-weighted mean training loss of every epoch."""\n'
            "    history = []\n"
            "    ### BEGIN SOLUTION\n"
            "    for epoch in range(epochs):\n"
            "        total, count = 0.0, 0\n"
            "        for xb, yb in loader:\n"
            "            loss = loss_fn(model(xb), yb)\n"
            "            optimizer.zero_grad()\n"
            "            loss.backward()\n"
            "            optimizer.step()\n"
            "            total += loss * len(xb)\n"
            "            count += len(xb)\n"
            "        history.append(total / count)\n"
            "    ### END SOLUTION\n"
            "    return history\n"
        ),
    ),
    Mutant(
        "fit_ignores_loss_fn",
        grade_id="fit",
        visible=True,
        code=(
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            '    """Train `model` in place; return the batch-size-weighted mean training loss of every epoch."""\n'
            "    history = []\n"
            "    ### BEGIN SOLUTION\n"
            "    for epoch in range(epochs):\n"
            "        total, count = 0.0, 0\n"
            "        for xb, yb in loader:\n"
            "            loss = F.mse_loss(model(xb), yb)\n"
            "            optimizer.zero_grad()\n"
            "            loss.backward()\n"
            "            optimizer.step()\n"
            "            total += loss.item() * len(xb)\n"
            "            count += len(xb)\n"
            "        history.append(total / count)\n"
            "    ### END SOLUTION\n"
            "    return history\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 3: hand_sgd
    Mutant(
        "momentum_velocity_not_kept",
        grade_id="hand_sgd",
        visible=True,
        code=(
            "class HandSGD:\n"
            '    """SGD with heavy-ball or Nesterov momentum in torch\'s form (dampening 0, no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.momentum = momentum\n"
            "        self.nesterov = nesterov\n"
            "        self.state = {}  # parameter -> its momentum buffer\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            if self.momentum != 0:\n"
            "                buf = None\n"
            "                if buf is None:\n"
            "                    buf = g.clone()\n"
            "                    self.state[p] = buf\n"
            "                else:\n"
            "                    buf.mul_(self.momentum).add_(g)\n"
            "                g = g + self.momentum * buf if self.nesterov else buf\n"
            "            p.sub_(self.lr * g)\n"
        ),
    ),
    Mutant(
        "nesterov_as_plain_momentum",
        grade_id="hand_sgd",
        visible=True,
        code=(
            "class HandSGD:\n"
            '    """SGD with heavy-ball or Nesterov momentum in torch\'s form (dampening 0, no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.momentum = momentum\n"
            "        self.nesterov = nesterov\n"
            "        self.state = {}  # parameter -> its momentum buffer\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            if self.momentum != 0:\n"
            "                buf = self.state.get(p)\n"
            "                if buf is None:\n"
            "                    buf = g.clone()\n"
            "                    self.state[p] = buf\n"
            "                else:\n"
            "                    buf.mul_(self.momentum).add_(g)\n"
            "                g = buf\n"
            "            p.sub_(self.lr * g)\n"
        ),
    ),
    Mutant(
        "momentum_ema_dampened",
        grade_id="hand_sgd",
        visible=True,
        code=(
            "class HandSGD:\n"
            '    """SGD with heavy-ball or Nesterov momentum in torch\'s form (dampening 0, no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.momentum = momentum\n"
            "        self.nesterov = nesterov\n"
            "        self.state = {}  # parameter -> its momentum buffer\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            if self.momentum != 0:\n"
            "                buf = self.state.get(p)\n"
            "                if buf is None:\n"
            "                    buf = g.clone()\n"
            "                    self.state[p] = buf\n"
            "                else:\n"
            "                    buf.mul_(self.momentum).add_((1 - self.momentum) * g)\n"
            "                g = g + self.momentum * buf if self.nesterov else buf\n"
            "            p.sub_(self.lr * g)\n"
        ),
    ),
    Mutant(
        "momentum_buffer_aliases_grad",
        grade_id="hand_sgd",
        visible=True,
        code=(
            "class HandSGD:\n"
            '    """SGD with heavy-ball or Nesterov momentum in torch\'s form (dampening 0, no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.momentum = momentum\n"
            "        self.nesterov = nesterov\n"
            "        self.state = {}  # parameter -> its momentum buffer\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            if self.momentum != 0:\n"
            "                buf = self.state.get(p)\n"
            "                if buf is None:\n"
            "                    buf = g\n"
            "                    self.state[p] = buf\n"
            "                else:\n"
            "                    buf.mul_(self.momentum).add_(g)\n"
            "                g = g + self.momentum * buf if self.nesterov else buf\n"
            "            p.sub_(self.lr * g)\n"
        ),
    ),
    Mutant(
        "momentum_ignored",
        grade_id="hand_sgd",
        visible=True,
        code=(
            "class HandSGD:\n"
            '    """SGD with heavy-ball or Nesterov momentum in torch\'s form (dampening 0, no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.momentum = momentum\n"
            "        self.nesterov = nesterov\n"
            "        self.state = {}  # parameter -> its momentum buffer\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            if self.momentum != 0:\n"
            "                buf = self.state.get(p)\n"
            "                if buf is None:\n"
            "                    buf = g.clone()\n"
            "                    self.state[p] = buf\n"
            "                else:\n"
            "                    buf.mul_(self.momentum).add_(g)\n"
            "                g = g + self.momentum * buf if self.nesterov else buf\n"
            "            p.sub_(self.lr * p.grad)\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 4: hand_adam
    Mutant(
        "adam_no_bias_correction",
        grade_id="hand_adam",
        hint="bias correction",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            m_hat = m\n"
            "            v_hat = v\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))\n"
        ),
    ),
    Mutant(
        "adam_eps_inside_sqrt",
        grade_id="hand_adam",
        hint="inside the square root",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat + self.eps).sqrt())\n"
        ),
    ),
    Mutant(
        "adam_step_counter_per_parameter",
        grade_id="hand_adam",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            self.t += 1\n"
            "            bc1 = 1 - beta1 ** self.t\n"
            "            bc2 = 1 - beta2 ** self.t\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))\n"
        ),
    ),
    Mutant(
        "adam_moments_not_kept",
        grade_id="hand_adam",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = torch.zeros_like(p), torch.zeros_like(p)\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))\n"
        ),
    ),
    Mutant(
        "adam_no_sqrt",
        grade_id="hand_adam",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat + self.eps))\n"
        ),
    ),
    Mutant(
        "adam_step_counter_starts_at_one",
        grade_id="hand_adam",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 1\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))\n"
        ),
    ),
    Mutant(
        "adam_m_missing_one_minus_beta1",
        grade_id="hand_adam",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_(g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))\n"
        ),
    ),
    Mutant(
        "adam_v_of_abs_gradient",
        grade_id="hand_adam",
        visible=True,
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g.abs())\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: weight_decay
    Mutant(
        "adamw_written_as_l2",
        grade_id="weight_decay",
        hint="decoupled",
        visible=True,
        code=(
            "class DecoupledWeightDecay:\n"
            '    """Wrap a torch optimizer: shrink p <- p * (1 - lr * weight_decay), then the optimizer\'s own step."""\n'
            "\n"
            "    def __init__(self, optimizer, weight_decay):\n"
            "        self.optimizer = optimizer\n"
            "        self.weight_decay = weight_decay\n"
            "\n"
            "    def zero_grad(self):\n"
            "        self.optimizer.zero_grad()\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """Decay every parameter that has a gradient, then call self.optimizer.step()."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for group in self.optimizer.param_groups:\n"
            '            for p in group["params"]:\n'
            "                if p.grad is not None:\n"
            "                    p.grad.add_(p, alpha=self.weight_decay)\n"
            "        self.optimizer.step()\n"
        ),
    ),
    Mutant(
        "decoupled_decay_without_lr",
        grade_id="weight_decay",
        visible=True,
        code=(
            "class DecoupledWeightDecay:\n"
            '    """Wrap a torch optimizer: shrink p <- p * (1 - lr * weight_decay), then the optimizer\'s own step."""\n'
            "\n"
            "    def __init__(self, optimizer, weight_decay):\n"
            "        self.optimizer = optimizer\n"
            "        self.weight_decay = weight_decay\n"
            "\n"
            "    def zero_grad(self):\n"
            "        self.optimizer.zero_grad()\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """Decay every parameter that has a gradient, then call self.optimizer.step()."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for group in self.optimizer.param_groups:\n"
            '            for p in group["params"]:\n'
            "                if p.grad is not None:\n"
            "                    p.mul_(1 - self.weight_decay)\n"
            "        self.optimizer.step()\n"
        ),
    ),
    Mutant(
        "decoupled_decay_after_step",
        grade_id="weight_decay",
        visible=True,
        code=(
            "\n"
            "def l2_penalty(params, weight_decay):\n"
            "    ### END SOLUTION\n"
            "\n"
            "\n"
            "\n"
            "class DecoupledWeightDecay:\n"
            "    def __init__(self, optimizer, weight_decay):\n"
            "        self.optimizer = optimizer\n"
            "        self.weight_decay = weight_decay\n"
            "\n"
            "    def zero_grad(self):\n"
            "        self.optimizer.zero_grad()\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            "        self.optimizer.step()\n"
            "        for group in self.optimizer.param_groups:\n"
            '            for p in group["params"]:\n'
            "                if p.grad is not None:\n"
            "        ### END SOLUTION"
        ),
    ),
    Mutant(
        "l2_penalty_missing_half",
        grade_id="weight_decay",
        visible=True,
        code=(
            "def l2_penalty(params, weight_decay):\n"
            '    """(weight_decay / 2) * the sum of the squares of all entries of all params, as a 0-d tensor."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return weight_decay * sum((p * p).sum() for p in params)\n"
        ),
    ),
    Mutant(
        "l2_penalty_norm_not_squared",
        grade_id="weight_decay",
        visible=True,
        code=(
            "def l2_penalty(params, weight_decay):\n"
            '    """(weight_decay / 2) * the sum of the squares of all entries of all params, as a 0-d tensor."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return weight_decay / 2 * sum(p.norm() for p in params)\n"
        ),
    ),
    Mutant(
        "l2_penalty_detached",
        grade_id="weight_decay",
        visible=True,
        code=(
            "def l2_penalty(params, weight_decay):\n"
            '    """(weight_decay / 2) * the sum of the squares of all entries of all params, as a 0-d tensor."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return weight_decay / 2 * sum((p * p).sum().item() for p in params)\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 6: standardize
    Mutant(
        "standardize_wrong_axis",
        grade_id="standardize",
        visible=True,
        code=(
            "def standardize(train_inputs):\n"
            '    """Standardise the columns of train_inputs (N, D); return (standardized, mean (D,), std (D,))."""\n'
            "    ### BEGIN SOLUTION\n"
            "    mean = train_inputs.mean(dim=1)\n"
            "    std = train_inputs.std(dim=1, unbiased=False)\n"
            "    std = torch.where(std == 0, torch.ones_like(std), std)\n"
            "    return (train_inputs - mean) / std, mean, std\n"
        ),
    ),
    Mutant(
        "standardize_sample_std",
        grade_id="standardize",
        visible=True,
        code=(
            "def standardize(train_inputs):\n"
            '    """Standardise the columns of train_inputs (N, D); return (standardized, mean (D,), std (D,))."""\n'
            "    ### BEGIN SOLUTION\n"
            "    mean = train_inputs.mean(dim=0)\n"
            "    std = train_inputs.std(dim=0)\n"
            "    std = torch.where(std == 0, torch.ones_like(std), std)\n"
            "    return (train_inputs - mean) / std, mean, std\n"
        ),
    ),
    Mutant(
        "standardize_std_not_guarded",
        grade_id="standardize",
        visible=True,
        code=(
            "def standardize(train_inputs):\n"
            '    """Standardise the columns of train_inputs (N, D); return (standardized, mean (D,), std (D,))."""\n'
            "    ### BEGIN SOLUTION\n"
            "    mean = train_inputs.mean(dim=0)\n"
            "    std = train_inputs.std(dim=0, unbiased=False)\n"
            "    return (train_inputs - mean) / std, mean, std\n"
        ),
    ),
    Mutant(
        "standardize_eps_instead_of_one",
        grade_id="standardize",
        visible=True,
        code=(
            "def standardize(train_inputs):\n"
            '    """Standardise the columns of train_inputs (N, D); return (standardized, mean (D,), std (D,))."""\n'
            "    ### BEGIN SOLUTION\n"
            "    mean = train_inputs.mean(dim=0)\n"
            "    std = train_inputs.std(dim=0, unbiased=False)\n"
            "    std = std.clamp(min=1e-8)\n"
            "    return (train_inputs - mean) / std, mean, std\n"
        ),
    ),
    Mutant(
        "standardize_keepdim",
        grade_id="standardize",
        visible=True,
        code=(
            "def standardize(train_inputs):\n"
            '    """Standardise the columns of train_inputs (N, D); return (standardized, mean (D,), std (D,))."""\n'
            "    ### BEGIN SOLUTION\n"
            "    mean = train_inputs.mean(dim=0, keepdim=True)\n"
            "    std = train_inputs.std(dim=0, unbiased=False, keepdim=True)\n"
            "    std = torch.where(std == 0, torch.ones_like(std), std)\n"
            "    return (train_inputs - mean) / std, mean, std\n"
        ),
    ),
    Mutant(
        "standardize_in_place",
        grade_id="standardize",
        visible=True,
        code=(
            "\n"
            "def standardize(train_inputs):\n"
            "    mean = train_inputs.mean(dim=0)\n"
            "    std = train_inputs.std(dim=0, unbiased=False)\n"
            "    std = torch.where(std == 0, torch.ones_like(std), std)\n"
            "    train_inputs -= mean\n"
            "    train_inputs /= std\n"
            "    ### END SOLUTION"
        ),
    ),
]

VARIANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_regression
    Variant(
        "forward_f_linear",
        grade_id="linear_regression",
        code=(
            "class LinearRegression(nn.Module):\n"
            '    """Linear model y = x @ weight.T + bias; weight (out_features, in_features), bias (out_features,)."""\n'
            "\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        ### BEGIN SOLUTION\n"
            "        k = 1.0 / in_features ** 0.5\n"
            "        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))\n"
            "        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def forward(self, x):\n"
            '        """x: (N, in_features) -> predictions (N, out_features)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        return F.linear(x, self.weight, self.bias)\n"
        ),
    ),
    Variant(
        "nn_init_and_addmm",
        grade_id="linear_regression",
        code=(
            "\n"
            "import math\n"
            "\n"
            "\n"
            "class LinearRegression(nn.Module):\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        self.weight = nn.Parameter(torch.empty(out_features, in_features))\n"
            "        self.bias = nn.Parameter(torch.empty(out_features))\n"
            "        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))\n"
            "        bound = 1 / math.sqrt(in_features)\n"
            "        nn.init.uniform_(self.bias, -bound, bound)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return torch.addmm(self.bias, x, self.weight.t())\n"
        ),
    ),
    Variant(
        "register_parameter_and_einsum",
        grade_id="linear_regression",
        code=(
            "\n"
            "class LinearRegression(nn.Module):\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        k = in_features ** -0.5\n"
            '        self.register_parameter("weight", nn.Parameter((torch.rand(out_features, in_features) * 2 - 1) * k))\n'
            '        self.register_parameter("bias", nn.Parameter((torch.rand(out_features) * 2 - 1) * k))\n'
            "\n"
            "    def forward(self, x):\n"
            "        ### END SOLUTION"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 2: fit
    Variant(
        "fit_tensor_accumulator_zero_grad_first",
        grade_id="fit",
        code=(
            "\n"
            "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
            "    history = []\n"
            "    for _ in range(epochs):\n"
            "        weighted, rows = torch.zeros(()), 0\n"
            "        for xb, yb in loader:\n"
            "            optimizer.zero_grad()\n"
            "            loss = loss_fn(model(xb), yb)\n"
            "            loss.backward()\n"
            "            optimizer.step()\n"
            "            weighted = weighted + loss.detach().cpu().double() * xb.shape[0]\n"
            "            rows += xb.shape[0]\n"
            "        history.append(float(weighted / rows))"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 3: hand_sgd
    Variant(
        "momentum_buffer_starts_at_zero",
        grade_id="hand_sgd",
        code=(
            "class HandSGD:\n"
            '    """SGD with heavy-ball or Nesterov momentum in torch\'s form (dampening 0, no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.momentum = momentum\n"
            "        self.nesterov = nesterov\n"
            "        self.state = {}  # parameter -> its momentum buffer\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            if self.momentum != 0:\n"
            "                buf = self.state.setdefault(p, torch.zeros_like(p))\n"
            "                buf.mul_(self.momentum).add_(g)\n"
            "                g = g + self.momentum * buf if self.nesterov else buf\n"
            "            p.sub_(self.lr * g)\n"
        ),
    ),
    Variant(
        "momentum_sutskever_velocity",
        grade_id="hand_sgd",
        code=(
            "\n"
            "class HandSGD:\n"
            "    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.momentum = momentum\n"
            "        self.nesterov = nesterov\n"
            "        self.state = {}\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            "        # velocity v = -lr * b (other sign and scale than torch's buffer): same trajectory at constant lr\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            v = self.state.setdefault(p, torch.zeros_like(p))\n"
            "            v.mul_(self.momentum).sub_(self.lr * p.grad)\n"
            "            if self.nesterov:\n"
            "                p.add_(self.momentum * v - self.lr * p.grad)\n"
            "            else:\n"
            "        ### END SOLUTION"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 4: hand_adam
    Variant(
        "adam_lerp_addcmul",
        grade_id="hand_adam",
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.lerp_(g, 1 - beta1)\n"
            "            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)\n"
            "            m_hat = m / bc1\n"
            "            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))\n"
        ),
    ),
    Variant(
        "adam_torch_style_addcdiv",
        grade_id="hand_adam",
        code=(
            "class HandAdam:\n"
            '    """Adam with bias correction, matching torch.optim.Adam (no weight decay)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        ### BEGIN SOLUTION\n"
            "        self.t = 0\n"
            "        self.state = {p: (torch.zeros_like(p), torch.zeros_like(p)) for p in self.params}\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """One Adam update of every parameter that has a gradient, in place."""\n'
            "        ### BEGIN SOLUTION\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1 - beta1 ** self.t\n"
            "        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            "            g = p.grad\n"
            "            m, v = self.state[p]\n"
            "            m.mul_(beta1).add_((1 - beta1) * g)\n"
            "            v.mul_(beta2).add_((1 - beta2) * g * g)\n"
            "            denom = (v.sqrt() / bc2 ** 0.5).add_(self.eps)\n"
            "            p.addcdiv_(m, denom, value=-self.lr / bc1)\n"
        ),
    ),
    Variant(
        "adam_per_parameter_counters",
        grade_id="hand_adam",
        code=(
            "\n"
            "class HandAdam:\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        self.state = {}\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            "        beta1, beta2 = self.betas\n"
            "        for p in self.params:\n"
            "            if p.grad is None:\n"
            "                continue\n"
            '            st = self.state.setdefault(p, {"step": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)})\n'
            '            st["step"] += 1\n'
            '            t = st["step"]\n'
            '            st["m"] = beta1 * st["m"] + (1 - beta1) * p.grad\n'
            '            st["v"] = beta2 * st["v"] + (1 - beta2) * p.grad ** 2\n'
            '            m_hat = st["m"] / (1 - beta1 ** t)\n'
            '            v_hat = st["v"] / (1 - beta2 ** t)\n'
            "        ### END SOLUTION"
        ),
    ),
    Variant(
        "adam_foreach",
        grade_id="hand_adam",
        code=(
            "\n"
            "import math\n"
            "\n"
            "\n"
            "class HandAdam:\n"
            "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        self.betas = betas\n"
            "        self.eps = eps\n"
            "        self.t = 0\n"
            "        self.exp_avg = [torch.zeros_like(p) for p in self.params]\n"
            "        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]\n"
            "\n"
            "    def zero_grad(self):\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        idx = [i for i, p in enumerate(self.params) if p.grad is not None]\n"
            "        params = [self.params[i] for i in idx]\n"
            "        grads = [p.grad for p in params]\n"
            "        ms = [self.exp_avg[i] for i in idx]\n"
            "        vs = [self.exp_avg_sq[i] for i in idx]\n"
            "        torch._foreach_lerp_(ms, grads, 1 - beta1)\n"
            "        torch._foreach_mul_(vs, beta2)\n"
            "        torch._foreach_addcmul_(vs, grads, grads, value=1 - beta2)\n"
            "        step_size = self.lr / (1 - beta1 ** self.t)\n"
            "        denom = torch._foreach_sqrt(vs)\n"
            "        torch._foreach_div_(denom, math.sqrt(1 - beta2 ** self.t))\n"
            "        torch._foreach_add_(denom, self.eps)\n"
            "        torch._foreach_addcdiv_(params, ms, denom, value=-step_size)\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: weight_decay
    Variant(
        "decay_add_alpha",
        grade_id="weight_decay",
        code=(
            "class DecoupledWeightDecay:\n"
            '    """Wrap a torch optimizer: shrink p <- p * (1 - lr * weight_decay), then the optimizer\'s own step."""\n'
            "\n"
            "    def __init__(self, optimizer, weight_decay):\n"
            "        self.optimizer = optimizer\n"
            "        self.weight_decay = weight_decay\n"
            "\n"
            "    def zero_grad(self):\n"
            "        self.optimizer.zero_grad()\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def step(self):\n"
            '        """Decay every parameter that has a gradient, then call self.optimizer.step()."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for group in self.optimizer.param_groups:\n"
            '            for p in group["params"]:\n'
            "                if p.grad is not None:\n"
            '                    p.add_(p, alpha=-group["lr"] * self.weight_decay)\n'
            "        self.optimizer.step()\n"
        ),
    ),
    Variant(
        "l2_penalty_vector_norm",
        grade_id="weight_decay",
        code=(
            "def l2_penalty(params, weight_decay):\n"
            '    """(weight_decay / 2) * the sum of the squares of all entries of all params, as a 0-d tensor."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return weight_decay / 2 * sum(torch.linalg.vector_norm(p) ** 2 for p in params)\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 6: standardize
    Variant(
        "standardize_std_mean_masked_fill",
        grade_id="standardize",
        code=(
            "\n"
            "def standardize(train_inputs):\n"
            "    std, mean = torch.std_mean(train_inputs, dim=0, correction=0)\n"
            "    std = std.masked_fill(std == 0, 1.0)\n"
            "    ### END SOLUTION"
        ),
    ),
    Variant(
        "standardize_var_sqrt_index_assign",
        grade_id="standardize",
        code=(
            "def standardize(train_inputs):\n"
            '    """Standardise the columns of train_inputs (N, D); return (standardized, mean (D,), std (D,))."""\n'
            "    ### BEGIN SOLUTION\n"
            "    mean = train_inputs.mean(dim=0)\n"
            "    std = train_inputs.var(dim=0, correction=0).sqrt()\n"
            "    std[std == 0] = 1.0\n"
            "    return (train_inputs - mean) / std, mean, std\n"
        ),
    ),
]
