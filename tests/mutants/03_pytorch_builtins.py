"""Known-wrong answers (mutants) and unusual right answers (variants) for 03_pytorch_builtins.

Every entry is written as whole definitions (`code=`): the functions and classes it puts in place of the
instructor's own in the solution cell `grade_id` (source/03_pytorch_builtins/03_pytorch_builtins.ipynb).
The templates below hold the given parts of each class (its constructor, its signature), so that an entry only
spells out the part a student writes. `visible=True`: the notebook's own check cell for the exercise catches it.
`classic=True`: a mistake the course warns about, which must cost at least half of the exercise's points.
"""

from textwrap import dedent, indent

from autograder.mutation import Mutant, Variant


def linreg(init: str, forward: str) -> str:
    """class LinearRegression with the given bodies of __init__ (after super().__init__()) and forward."""
    return (
        "class LinearRegression(nn.Module):\n"
        "    def __init__(self, in_features, out_features):\n"
        "        super().__init__()\n" + indent(dedent(init).strip("\n"), " " * 8) + "\n\n"
        "    def forward(self, x):\n" + indent(dedent(forward).strip("\n"), " " * 8) + "\n"
    )


GOOD_INIT = """
k = 1.0 / in_features ** 0.5
self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))
self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))
"""
GOOD_FORWARD = "return x @ self.weight.T + self.bias"


def fit_with(body: str) -> str:
    """def fit(...) with the given body (which must return the history)."""
    return (
        "def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):\n"
        + indent(dedent(body).strip("\n"), "    ")
        + "\n"
    )


GOOD_FIT_EPOCH = """
history = []
for epoch in range(epochs):
    total, count = 0.0, 0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
        count += len(xb)
    history.append(total / count)
return history
"""


def sgd(step: str) -> str:
    """class HandSGD with the given constructor and the given body of step(self, closure=None)."""
    return (
        "class HandSGD(torch.optim.Optimizer):\n"
        "    def __init__(self, params, lr=1e-3, momentum=0.0, weight_decay=0.0, nesterov=False):\n"
        "        if nesterov and momentum <= 0:\n"
        '            raise ValueError("Nesterov momentum needs a momentum > 0")\n'
        "        defaults = dict(lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov)\n"
        "        super().__init__(params, defaults)\n\n"
        "    @torch.no_grad()\n"
        "    def step(self, closure=None):\n" + indent(dedent(step).strip("\n"), " " * 8) + "\n"
    )


SGD_CLOSURE = """
loss = None
if closure is not None:
    with torch.enable_grad():
        loss = closure()
"""


def sgd_loop(inner: str, closure: str = SGD_CLOSURE) -> str:
    """A step body: the closure part, then `inner` for every parameter that has a gradient, then return loss."""
    return (
        dedent(closure).strip("\n")
        + "\nfor group in self.param_groups:\n"
        + '    lr, mu = group["lr"], group["momentum"]\n'
        + '    for p in group["params"]:\n'
        + "        if p.grad is None:\n"
        + "            continue\n"
        + indent(dedent(inner).strip("\n"), " " * 8)
        + "\nreturn loss\n"
    )


GOOD_SGD_INNER = """
d = p.grad
if group["weight_decay"] != 0:
    d = d.add(p, alpha=group["weight_decay"])
if mu != 0:
    state = self.state[p]
    buf = state.get("momentum_buffer")
    if buf is None:
        buf = torch.clone(d).detach()
        state["momentum_buffer"] = buf
    else:
        buf.mul_(mu).add_(d)
    d = d.add(buf, alpha=mu) if group["nesterov"] else buf
p.add_(d, alpha=-lr)
"""


def adam(step: str) -> str:
    """class HandAdam with the given constructor and the given body of step(self, closure=None)."""
    return (
        "class HandAdam(torch.optim.Optimizer):\n"
        "    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):\n"
        "        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))\n\n"
        "    @torch.no_grad()\n"
        "    def step(self, closure=None):\n" + indent(dedent(step).strip("\n"), " " * 8) + "\n"
    )


def adam_loop(*parts: str, closure: str = SGD_CLOSURE) -> str:
    """A step body: the closure part, then `parts` for every parameter with a gradient (beta1, beta2, g set)."""
    inner = "\n".join(dedent(part).strip("\n") for part in parts)
    return (
        dedent(closure).strip("\n")
        + "\nfor group in self.param_groups:\n"
        + '    beta1, beta2 = group["betas"]\n'
        + '    for p in group["params"]:\n'
        + "        if p.grad is None:\n"
        + "            continue\n"
        + "        g = p.grad\n"
        + indent(dedent(inner).strip("\n"), " " * 8)
        + "\nreturn loss\n"
    )


ADAM_STATE = """
state = self.state[p]
if not state:
    state["step"] = 0
    state["exp_avg"] = torch.zeros_like(p)
    state["exp_avg_sq"] = torch.zeros_like(p)
state["step"] += 1
t = state["step"]
m, v = state["exp_avg"], state["exp_avg_sq"]
m.mul_(beta1).add_(g, alpha=1 - beta1)
v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
"""
ADAM_UPDATE = """
m_hat = m / (1 - beta1 ** t)
v_hat = v / (1 - beta2 ** t)
p.sub_(group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
"""


def decoupled(step: str) -> str:
    """class DecoupledWeightDecay with the given constructor and zero_grad, and the given body of step."""
    return (
        "class DecoupledWeightDecay:\n"
        "    def __init__(self, optimizer, weight_decay):\n"
        "        self.optimizer = optimizer\n"
        "        self.weight_decay = weight_decay\n\n"
        "    def zero_grad(self):\n"
        "        self.optimizer.zero_grad()\n\n"
        "    @torch.no_grad()\n"
        "    def step(self):\n" + indent(dedent(step).strip("\n"), " " * 8) + "\n"
    )


def l2(body: str) -> str:
    return "def l2_penalty(params, weight_decay):\n" + indent(dedent(body).strip("\n"), "    ") + "\n"


def standardizer(init: str, call: str) -> str:
    return (
        "class Standardizer:\n"
        "    def __init__(self, train_inputs):\n" + indent(dedent(init).strip("\n"), " " * 8) + "\n\n"
        "    def __call__(self, inputs):\n" + indent(dedent(call).strip("\n"), " " * 8) + "\n"
    )


GOOD_STD_INIT = """
self.mean = train_inputs.mean(dim=0)
std = train_inputs.std(dim=0, correction=0)
self.std = torch.where(std == 0, torch.ones_like(std), std)
"""
GOOD_STD_CALL = "return (inputs - self.mean) / self.std"


def fae(body: str) -> str:
    return (
        "def fit_and_evaluate(model, train_loader, held_out_inputs, held_out_targets, optimizer, epochs,\n"
        "                     loss_fn=F.mse_loss):\n" + indent(dedent(body).strip("\n"), "    ") + "\n"
    )


def fae_loop(evaluate: str = "", keep: str = "", restore: str = "") -> str:
    """The body of fit_and_evaluate with parts replaced (the defaults are the instructor's)."""
    evaluate = (
        evaluate
        or """
        train_losses += fit(model, train_loader, optimizer, 1, loss_fn)
        with torch.no_grad():
            held_out = loss_fn(model(held_out_inputs), held_out_targets).item()
        held_out_losses.append(held_out)
    """
    )
    keep = (
        keep
        or """
        if held_out < best_loss:
            best_loss, best_state = held_out, copy.deepcopy(model.state_dict())
    """
    )
    restore = (
        restore
        or """
    if best_state is not None:
        model.load_state_dict(best_state)
    """
    )
    return (
        "train_losses, held_out_losses = [], []\n"
        'best_loss, best_state = float("inf"), None\n'
        "for _ in range(epochs):\n"
        + indent(dedent(evaluate).strip("\n"), "    ")
        + "\n"
        + indent(dedent(keep).strip("\n"), "    ")
        + "\n"
        + dedent(restore).strip("\n")
        + "\nreturn train_losses, held_out_losses\n"
    )


MUTANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_regression
    Mutant(
        "weight_transposed",
        grade_id="linear_regression",
        visible=True,
        classic=True,
        hint="transposed",
        code=linreg(
            """
            k = 1.0 / in_features ** 0.5
            self.weight = nn.Parameter(torch.empty(in_features, out_features).uniform_(-k, k))
            self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))
            """,
            "return x @ self.weight + self.bias",
        ),
    ),
    Mutant(
        "parameters_not_registered",
        grade_id="linear_regression",
        visible=True,
        classic=True,
        hint="nn.Parameter",
        code=linreg(
            """
            k = 1.0 / in_features ** 0.5
            self.weight = torch.empty(out_features, in_features).uniform_(-k, k).requires_grad_()
            self.bias = torch.empty(out_features).uniform_(-k, k).requires_grad_()
            """,
            GOOD_FORWARD,
        ),
    ),
    Mutant(
        "bias_shape_row",
        grade_id="linear_regression",
        visible=True,
        code=linreg(
            """
            k = 1.0 / in_features ** 0.5
            self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))
            self.bias = nn.Parameter(torch.empty(1, out_features).uniform_(-k, k))
            """,
            GOOD_FORWARD,
        ),
    ),
    Mutant(
        "randn_init",
        grade_id="linear_regression",
        visible=True,
        hint="uniform_(-k, k)",
        code=linreg(
            """
            k = 1.0 / in_features ** 0.5
            self.weight = nn.Parameter(torch.randn(out_features, in_features))
            self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))
            """,
            GOOD_FORWARD,
        ),
    ),
    Mutant(
        "init_bound_from_out_features",
        grade_id="linear_regression",
        visible=True,
        code=linreg(
            """
            k = 1.0 / out_features ** 0.5
            self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))
            self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))
            """,
            GOOD_FORWARD,
        ),
    ),
    Mutant(
        "init_half_range",
        grade_id="linear_regression",
        visible=True,
        code=linreg(
            """
            k = 0.5 / in_features ** 0.5
            self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))
            self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))
            """,
            GOOD_FORWARD,
        ),
    ),
    Mutant(
        "bias_zero_init",
        grade_id="linear_regression",
        visible=True,
        code=linreg(
            """
            k = 1.0 / in_features ** 0.5
            self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-k, k))
            self.bias = nn.Parameter(torch.zeros(out_features))
            """,
            GOOD_FORWARD,
        ),
    ),
    Mutant(
        "float32_hard_coded",
        grade_id="linear_regression",
        visible=True,
        code=linreg(
            """
            k = 1.0 / in_features ** 0.5
            self.weight = nn.Parameter(torch.empty(out_features, in_features, dtype=torch.float32).uniform_(-k, k))
            self.bias = nn.Parameter(torch.empty(out_features, dtype=torch.float32).uniform_(-k, k))
            """,
            GOOD_FORWARD,
        ),
    ),
    Mutant(
        "forward_without_bias",
        grade_id="linear_regression",
        visible=True,
        hint="add the bias",
        code=linreg(GOOD_INIT, "return x @ self.weight.T"),
    ),
    Mutant(
        "forward_ones_column_on_cpu",
        grade_id="linear_regression",
        visible=True,
        code=linreg(
            GOOD_INIT,
            """
            ones = torch.ones(len(x), 1, dtype=x.dtype)
            return torch.cat([x, ones], dim=1) @ torch.cat([self.weight, self.bias[:, None]], dim=1).T
            """,
        ),
    ),
    Mutant(
        "forward_detached_weight",
        grade_id="linear_regression",
        visible=True,
        code=linreg(GOOD_INIT, "return x @ self.weight.detach().T + self.bias"),
    ),
    # ---------------------------------------------------------------- Exercise 2: fit
    Mutant(
        "fit_no_zero_grad",
        grade_id="fit",
        visible=True,
        classic=True,
        hint="zero_grad",
        code=fit_with(GOOD_FIT_EPOCH.replace("        optimizer.zero_grad()\n", "")),
    ),
    Mutant(
        "fit_zero_grad_after_backward",
        grade_id="fit",
        visible=True,
        classic=True,
        hint="BEFORE backward()",
        code=fit_with(
            GOOD_FIT_EPOCH.replace(
                "optimizer.zero_grad()\n        loss.backward()", "loss.backward()\n        optimizer.zero_grad()"
            )
        ),
    ),
    Mutant(
        "fit_unweighted_batch_mean",
        grade_id="fit",
        visible=True,
        classic=True,
        hint="plain average",
        code=fit_with(
            GOOD_FIT_EPOCH.replace("total += loss.item() * len(xb)", "total += loss.item()").replace(
                "count += len(xb)", "count += 1"
            )
        ),
    ),
    Mutant(
        "fit_reports_last_batch_loss",
        grade_id="fit",
        visible=True,
        hint="last batch",
        code=fit_with(GOOD_FIT_EPOCH.replace("history.append(total / count)", "history.append(loss.item())")),
    ),
    Mutant(
        "fit_divides_by_batches",
        grade_id="fit",
        visible=True,
        hint="not by the number of batches",
        code=fit_with(GOOD_FIT_EPOCH.replace("count += len(xb)", "count += 1")),
    ),
    Mutant(
        "fit_ignores_loss_fn",
        grade_id="fit",
        visible=True,
        hint="loss_fn argument",
        code=fit_with(GOOD_FIT_EPOCH.replace("loss = loss_fn(model(xb), yb)", "loss = F.mse_loss(model(xb), yb)")),
    ),
    Mutant(
        "fit_loss_after_step",
        grade_id="fit",
        visible=True,
        code=fit_with(
            GOOD_FIT_EPOCH.replace(
                "total += loss.item() * len(xb)",
                "with torch.no_grad():\n            total += loss_fn(model(xb), yb).item() * len(xb)",
            )
        ),
    ),
    Mutant(
        "fit_keeps_graph",
        grade_id="fit",
        visible=True,
        hint="loss.item()",
        code=fit_with(GOOD_FIT_EPOCH.replace("total += loss.item() * len(xb)", "total += loss * len(xb)")),
    ),
    Mutant(
        "fit_one_epoch_too_many",
        grade_id="fit",
        visible=True,
        code=fit_with(GOOD_FIT_EPOCH.replace("range(epochs)", "range(epochs + 1)")),
    ),
    Mutant(
        "fit_at_least_one_epoch",
        grade_id="fit",
        visible=True,
        code=fit_with(GOOD_FIT_EPOCH.replace("range(epochs)", "range(max(epochs, 1))")),
    ),
    Mutant(
        "fit_creates_its_own_optimizer",
        grade_id="fit",
        visible=True,
        code=fit_with(
            GOOD_FIT_EPOCH.replace(
                "history = []", "history = []\noptimizer = torch.optim.SGD(model.parameters(), lr=1e-5)"
            )
        ),
    ),
    # ---------------------------------------------------------------- Exercise 3: hand_sgd
    Mutant(
        "sgd_buffer_aliases_grad",
        grade_id="hand_sgd",
        visible=True,
        classic=True,
        hint="never p.grad itself",
        code=sgd(sgd_loop(GOOD_SGD_INNER.replace("buf = torch.clone(d).detach()", "buf = d"))),
    ),
    Mutant(
        "sgd_buffer_not_kept",
        grade_id="hand_sgd",
        visible=True,
        classic=True,
        code=sgd(
            sgd_loop(
                """
                d = p.grad
                if group["weight_decay"] != 0:
                    d = d.add(p, alpha=group["weight_decay"])
                if mu != 0:
                    buf = torch.clone(d).detach()
                    self.state[p]["momentum_buffer"] = buf
                    d = d.add(buf, alpha=mu) if group["nesterov"] else buf
                p.add_(d, alpha=-lr)
                """
            )
        ),
    ),
    Mutant(
        "sgd_dampening",
        grade_id="hand_sgd",
        visible=True,
        classic=True,
        hint="no (1 - momentum) factor",
        code=sgd(
            sgd_loop(
                GOOD_SGD_INNER.replace(
                    "buf = torch.clone(d).detach()", "buf = (1 - mu) * torch.clone(d).detach()"
                ).replace("buf.mul_(mu).add_(d)", "buf.mul_(mu).add_(d, alpha=1 - mu)")
            )
        ),
    ),
    Mutant(
        "sgd_nesterov_as_heavy_ball",
        grade_id="hand_sgd",
        visible=True,
        hint="Nesterov steps along d + momentum * b",
        code=sgd(sgd_loop(GOOD_SGD_INNER.replace('d.add(buf, alpha=mu) if group["nesterov"] else buf', "buf"))),
    ),
    Mutant(
        "sgd_nesterov_without_gradient",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(
            sgd_loop(
                GOOD_SGD_INNER.replace(
                    'd.add(buf, alpha=mu) if group["nesterov"] else buf', "mu * buf if group['nesterov'] else buf"
                )
            )
        ),
    ),
    Mutant(
        "sgd_weight_decay_after_momentum",
        grade_id="hand_sgd",
        visible=True,
        hint="BEFORE the momentum buffer",
        code=sgd(
            sgd_loop(
                """
                d = p.grad
                if mu != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = torch.clone(d).detach()
                        state["momentum_buffer"] = buf
                    else:
                        buf.mul_(mu).add_(d)
                    d = d.add(buf, alpha=mu) if group["nesterov"] else buf
                if group["weight_decay"] != 0:
                    d = d.add(p, alpha=group["weight_decay"])
                p.add_(d, alpha=-lr)
                """
            )
        ),
    ),
    Mutant(
        "sgd_decoupled_weight_decay",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(
            sgd_loop(
                GOOD_SGD_INNER.replace(
                    'd = d.add(p, alpha=group["weight_decay"])', 'p.mul_(1 - lr * group["weight_decay"])'
                )
            )
        ),
    ),
    Mutant(
        "sgd_settings_from_defaults",
        grade_id="hand_sgd",
        visible=True,
        hint="self.param_groups",
        code=sgd(
            sgd_loop(GOOD_SGD_INNER).replace(
                'lr, mu = group["lr"], group["momentum"]', 'lr, mu = self.defaults["lr"], self.defaults["momentum"]'
            )
        ),
    ),
    Mutant(
        "sgd_closure_ignored",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(sgd_loop(GOOD_SGD_INNER, closure="loss = None")),
    ),
    Mutant(
        "sgd_closure_without_enable_grad",
        grade_id="hand_sgd",
        visible=True,
        hint="torch.enable_grad()",
        code=sgd(sgd_loop(GOOD_SGD_INNER, closure="loss = closure() if closure is not None else None")),
    ),
    Mutant(
        "sgd_closure_called_after_update",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(
            sgd_loop(GOOD_SGD_INNER, closure="loss = None").replace(
                "return loss",
                "if closure is not None:\n    with torch.enable_grad():\n        loss = closure()\nreturn loss",
            )
        ),
    ),
    Mutant(
        "sgd_buffer_named_velocity",
        grade_id="hand_sgd",
        visible=True,
        hint="'momentum_buffer'",
        code=sgd(sgd_loop(GOOD_SGD_INNER.replace('"momentum_buffer"', '"velocity"'))),
    ),
    Mutant(
        "sgd_buffer_kept_outside_state",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(
            sgd_loop(
                GOOD_SGD_INNER.replace(
                    "state = self.state[p]", "state = self.__dict__.setdefault('buffers', {}).setdefault(p, {})"
                )
            )
        ),
    ),
    Mutant(
        "sgd_buffer_zeros_on_cpu",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(
            sgd_loop(
                GOOD_SGD_INNER.replace(
                    "buf = torch.clone(d).detach()", "buf = torch.zeros(p.shape, dtype=p.dtype)\n        buf.add_(d)"
                )
            )
        ),
    ),
    Mutant(
        "sgd_replaces_data_in_float64",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(sgd_loop(GOOD_SGD_INNER.replace("p.add_(d, alpha=-lr)", "p.data = p.double() - lr * d.double()"))),
    ),
    Mutant(
        "sgd_no_skip_for_missing_grad",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(
            sgd_loop(
                GOOD_SGD_INNER.replace("d = p.grad\n", "d = p.grad if p.grad is not None else torch.zeros_like(p)\n")
            ).replace("        if p.grad is None:\n            continue\n", "")
        ),
    ),
    Mutant(
        "sgd_returns_float",
        grade_id="hand_sgd",
        visible=True,
        code=sgd(sgd_loop(GOOD_SGD_INNER, closure=SGD_CLOSURE + "    loss = loss.item()\n")),
    ),
    # ---------------------------------------------------------------- Exercise 4: hand_adam
    Mutant(
        "adam_eps_inside_sqrt",
        grade_id="hand_adam",
        visible=True,
        classic=True,
        hint="inside the square root",
        code=adam(
            adam_loop(
                ADAM_STATE + ADAM_UPDATE.replace('(v_hat.sqrt() + group["eps"])', '(v_hat + group["eps"]).sqrt()')
            )
        ),
    ),
    Mutant(
        "adam_no_bias_correction",
        grade_id="hand_adam",
        visible=True,
        classic=True,
        hint="bias correction is missing",
        code=adam(
            adam_loop(
                ADAM_STATE + ADAM_UPDATE.replace("m / (1 - beta1 ** t)", "m").replace("v / (1 - beta2 ** t)", "v")
            )
        ),
    ),
    Mutant(
        "adam_only_m_corrected",
        grade_id="hand_adam",
        visible=True,
        hint="v needs its own bias correction",
        code=adam(adam_loop(ADAM_STATE + ADAM_UPDATE.replace("v / (1 - beta2 ** t)", "v"))),
    ),
    Mutant(
        "adam_counter_advanced_per_parameter",
        grade_id="hand_adam",
        visible=True,
        classic=True,
        hint="once per step, not once for every parameter",
        code=adam(
            adam_loop(
                """
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                self.t = getattr(self, "t", 0) + 1
                t = self.t
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                """,
                ADAM_UPDATE,
            )
        ),
    ),
    Mutant(
        "adam_state_recreated_every_step",
        grade_id="hand_adam",
        visible=True,
        classic=True,
        code=adam(adam_loop(ADAM_STATE.replace("if not state:\n", "if True:\n") + ADAM_UPDATE)),
    ),
    Mutant(
        "adam_counter_on_the_optimizer",
        grade_id="hand_adam",
        visible=True,
        hint="self.state[p]",
        code=adam(
            adam_loop(
                """
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                t = self.t
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                """,
                ADAM_UPDATE,
                closure=SGD_CLOSURE + 'self.t = getattr(self, "t", 0) + 1\n',
            )
        ),
    ),
    Mutant(
        "adam_betas_swapped",
        grade_id="hand_adam",
        visible=True,
        code=adam(
            adam_loop(ADAM_STATE + ADAM_UPDATE).replace(
                'beta1, beta2 = group["betas"]', 'beta2, beta1 = group["betas"]'
            )
        ),
    ),
    Mutant(
        "adam_sqrt_before_correction",
        grade_id="hand_adam",
        visible=True,
        code=adam(
            adam_loop(
                ADAM_STATE,
                """
                m_hat = m / (1 - beta1 ** t)
                p.sub_(group["lr"] * m_hat / (v.sqrt() / (1 - beta2 ** t) + group["eps"]))
                """,
            )
        ),
    ),
    Mutant(
        "adam_settings_from_defaults",
        grade_id="hand_adam",
        visible=True,
        code=adam(adam_loop(ADAM_STATE + ADAM_UPDATE.replace('group["lr"]', 'self.defaults["lr"]'))),
    ),
    Mutant(
        "adam_closure_ignored",
        grade_id="hand_adam",
        visible=True,
        code=adam(adam_loop(ADAM_STATE + ADAM_UPDATE, closure="loss = None")),
    ),
    Mutant(
        "adam_moments_on_cpu",
        grade_id="hand_adam",
        visible=True,
        code=adam(
            adam_loop(ADAM_STATE.replace("torch.zeros_like(p)", "torch.zeros(p.shape, dtype=p.dtype)") + ADAM_UPDATE)
        ),
    ),
    Mutant(
        "adam_no_skip_for_missing_grad",
        grade_id="hand_adam",
        visible=True,
        code=adam(
            adam_loop(ADAM_STATE + ADAM_UPDATE)
            .replace("        if p.grad is None:\n            continue\n", "")
            .replace("g = p.grad\n", "g = p.grad if p.grad is not None else torch.zeros_like(p)\n")
        ),
    ),
    Mutant(
        "adam_foreach_fails_on_a_group_without_gradients",
        grade_id="hand_adam",
        visible=True,
        code="import math\n\n\n"
        + adam(
            """
            loss = None
            if closure is not None:
                with torch.enable_grad():
                    loss = closure()
            for group in self.param_groups:
                beta1, beta2 = group["betas"]
                params = [p for p in group["params"] if p.grad is not None]
                for p in params:
                    if not self.state[p]:
                        self.state[p].update(step=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                    self.state[p]["step"] += 1
                grads = [p.grad for p in params]
                ms = [self.state[p]["m"] for p in params]
                vs = [self.state[p]["v"] for p in params]
                torch._foreach_lerp_(ms, grads, 1 - beta1)
                torch._foreach_mul_(vs, beta2)
                torch._foreach_addcmul_(vs, grads, grads, value=1 - beta2)
                for p, m, v in zip(params, ms, vs):
                    t = self.state[p]["step"]
                    denom = v.sqrt() / math.sqrt(1 - beta2 ** t) + group["eps"]
                    p.addcdiv_(m, denom, value=-group["lr"] / (1 - beta1 ** t))
            return loss
            """
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: weight_decay
    Mutant(
        "adamw_written_as_l2",
        grade_id="weight_decay",
        visible=True,
        classic=True,
        hint="decoupled",
        code=decoupled(
            """
            for group in self.optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.grad.add_(p, alpha=self.weight_decay)
            self.optimizer.step()
            """
        ),
    ),
    Mutant(
        "decoupled_decay_without_lr",
        grade_id="weight_decay",
        visible=True,
        code=decoupled(
            """
            for group in self.optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.mul_(1 - self.weight_decay)
            self.optimizer.step()
            """
        ),
    ),
    Mutant(
        "decoupled_decay_after_step",
        grade_id="weight_decay",
        visible=True,
        code=decoupled(
            """
            self.optimizer.step()
            for group in self.optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.mul_(1 - group["lr"] * self.weight_decay)
            """
        ),
    ),
    Mutant(
        "decoupled_first_group_lr",
        grade_id="weight_decay",
        visible=True,
        hint="each group's current learning rate",
        code=decoupled(
            """
            lr = self.optimizer.param_groups[0]["lr"]
            for group in self.optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.mul_(1 - lr * self.weight_decay)
            self.optimizer.step()
            """
        ),
    ),
    Mutant(
        "decoupled_decays_parameters_without_grad",
        grade_id="weight_decay",
        visible=True,
        code=decoupled(
            """
            for group in self.optimizer.param_groups:
                for p in group["params"]:
                    p.mul_(1 - group["lr"] * self.weight_decay)
            self.optimizer.step()
            """
        ),
    ),
    Mutant(
        "l2_penalty_missing_half",
        grade_id="weight_decay",
        visible=True,
        hint="the 1/2 is missing",
        code=l2("return weight_decay * sum((p * p).sum() for p in params)"),
    ),
    Mutant(
        "l2_penalty_norm_not_squared",
        grade_id="weight_decay",
        visible=True,
        code=l2("return weight_decay / 2 * sum(p.norm() for p in params)"),
    ),
    Mutant(
        "l2_penalty_detached",
        grade_id="weight_decay",
        visible=True,
        code=l2("return torch.tensor(weight_decay / 2 * sum((p * p).sum().item() for p in params))"),
    ),
    Mutant(
        "l2_penalty_first_parameter_only",
        grade_id="weight_decay",
        visible=True,
        code=l2("return weight_decay / 2 * (next(iter(params)) ** 2).sum()"),
    ),
    Mutant(
        "l2_penalty_list_used_twice",
        grade_id="weight_decay",
        visible=True,
        code=l2(
            """
            count = sum(1 for _ in params)
            return weight_decay / 2 * sum((p * p).sum() for p in params) * (count > 0)
            """
        ),
    ),
    # ---------------------------------------------------------------- Exercise 6: standardizer
    Mutant(
        "standardizer_statistics_of_inputs",
        grade_id="standardizer",
        visible=True,
        classic=True,
        hint="TRAINING statistics",
        code=standardizer(
            GOOD_STD_INIT,
            """
            std = inputs.std(dim=0, correction=0)
            std = torch.where(std == 0, torch.ones_like(std), std)
            return (inputs - inputs.mean(dim=0)) / std
            """,
        ),
    ),
    Mutant(
        "standardizer_sample_std",
        grade_id="standardizer",
        visible=True,
        hint="population std",
        code=standardizer(GOOD_STD_INIT.replace("std(dim=0, correction=0)", "std(dim=0)"), GOOD_STD_CALL),
    ),
    Mutant(
        "standardizer_std_not_guarded",
        grade_id="standardizer",
        visible=True,
        code=standardizer(
            "self.mean = train_inputs.mean(dim=0)\nself.std = train_inputs.std(dim=0, correction=0)", GOOD_STD_CALL
        ),
    ),
    Mutant(
        "standardizer_clamped_std",
        grade_id="standardizer",
        visible=True,
        code=standardizer(
            "self.mean = train_inputs.mean(dim=0)\nself.std = train_inputs.std(dim=0, correction=0).clamp(min=1e-8)",
            GOOD_STD_CALL,
        ),
    ),
    Mutant(
        "standardizer_keepdim",
        grade_id="standardizer",
        visible=True,
        code=standardizer(
            """
            self.mean = train_inputs.mean(dim=0, keepdim=True)
            std = train_inputs.std(dim=0, correction=0, keepdim=True)
            self.std = torch.where(std == 0, torch.ones_like(std), std)
            """,
            GOOD_STD_CALL,
        ),
    ),
    Mutant(
        "standardizer_wrong_axis",
        grade_id="standardizer",
        visible=True,
        code=standardizer(
            GOOD_STD_INIT.replace("dim=0", "dim=1"), "return (inputs - self.mean[:, None]) / self.std[:, None]"
        ),
    ),
    Mutant(
        "standardizer_in_place",
        grade_id="standardizer",
        visible=True,
        code=standardizer(GOOD_STD_INIT, "inputs -= self.mean\ninputs /= self.std\nreturn inputs"),
    ),
    Mutant(
        "standardizer_ones_on_cpu",
        grade_id="standardizer",
        visible=True,
        code=standardizer(
            GOOD_STD_INIT.replace("torch.ones_like(std)", "torch.ones(std.shape, dtype=std.dtype)"), GOOD_STD_CALL
        ),
    ),
    Mutant(
        "standardizer_float64_statistics",
        grade_id="standardizer",
        visible=True,
        code=standardizer(GOOD_STD_INIT.replace("train_inputs.", "train_inputs.double()."), GOOD_STD_CALL),
    ),
    # ---------------------------------------------------------------- Exercise 7: fit_and_evaluate
    Mutant(
        "fae_state_dict_without_copy",
        grade_id="fit_and_evaluate",
        visible=True,
        classic=True,
        hint="live tensors",
        code=fae(
            fae_loop(
                keep="""
                if held_out < best_loss:
                    best_loss, best_state = held_out, model.state_dict()
                """
            )
        ),
    ),
    Mutant(
        "fae_no_restore",
        grade_id="fit_and_evaluate",
        visible=True,
        hint="last epoch's parameters",
        code=fae(fae_loop(restore="pass")),
    ),
    Mutant(
        "fae_held_out_before_the_epoch",
        grade_id="fit_and_evaluate",
        visible=True,
        classic=True,
        hint="AFTER the epoch",
        code=fae(
            fae_loop(
                evaluate="""
                with torch.no_grad():
                    held_out = loss_fn(model(held_out_inputs), held_out_targets).item()
                held_out_losses.append(held_out)
                train_losses += fit(model, train_loader, optimizer, 1, loss_fn)
                """
            )
        ),
    ),
    Mutant(
        "fae_trains_on_held_out_rows",
        grade_id="fit_and_evaluate",
        visible=True,
        classic=True,
        code=fae(
            fae_loop(
                evaluate="""
                train_losses += fit(model, train_loader, optimizer, 1, loss_fn)
                held_out = fit(model, [(held_out_inputs, held_out_targets)], optimizer, 1, loss_fn)[0]
                held_out_losses.append(held_out)
                """
            )
        ),
    ),
    Mutant(
        "fae_held_out_always_mse",
        grade_id="fit_and_evaluate",
        visible=True,
        code=fae(
            fae_loop(
                evaluate="""
                train_losses += fit(model, train_loader, optimizer, 1, loss_fn)
                with torch.no_grad():
                    held_out = F.mse_loss(model(held_out_inputs), held_out_targets).item()
                held_out_losses.append(held_out)
                """
            )
        ),
    ),
    Mutant(
        "fae_training_loss_after_the_epoch",
        grade_id="fit_and_evaluate",
        visible=True,
        code=fae(
            fae_loop(
                evaluate="""
                fit(model, train_loader, optimizer, 1, loss_fn)
                with torch.no_grad():
                    rows = sum(len(xb) for xb, _ in train_loader)
                    train_losses.append(sum(loss_fn(model(xb), yb).item() * len(xb) for xb, yb in train_loader) / rows)
                    held_out = loss_fn(model(held_out_inputs), held_out_targets).item()
                held_out_losses.append(held_out)
                """
            )
        ),
    ),
    Mutant(
        "fae_best_by_training_loss",
        grade_id="fit_and_evaluate",
        visible=True,
        code=fae(
            fae_loop(
                keep="""
                if train_losses[-1] < best_loss:
                    best_loss, best_state = train_losses[-1], copy.deepcopy(model.state_dict())
                """
            )
        ),
    ),
    Mutant(
        "fae_rebinds_model",
        grade_id="fit_and_evaluate",
        visible=True,
        code=fae(
            fae_loop(
                keep="""
                if held_out < best_loss:
                    best_loss, best_state = held_out, copy.deepcopy(model)
                """,
                restore="""
                if best_state is not None:
                    model = best_state
                """,
            )
        ),
    ),
    Mutant(
        "fae_returns_tensors",
        grade_id="fit_and_evaluate",
        visible=True,
        hint="Python floats",
        code=fae(
            fae_loop(
                evaluate="""
                train_losses += fit(model, train_loader, optimizer, 1, loss_fn)
                with torch.no_grad():
                    held_out = loss_fn(model(held_out_inputs), held_out_targets)
                held_out_losses.append(held_out)
                """
            )
        ),
    ),
    Mutant(
        "fae_lists_swapped",
        grade_id="fit_and_evaluate",
        visible=True,
        code=fae(fae_loop().replace("return train_losses, held_out_losses", "return held_out_losses, train_losses")),
    ),
]

VARIANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_regression
    Variant(
        "forward_f_linear",
        grade_id="linear_regression",
        code=linreg(GOOD_INIT, "return F.linear(x, self.weight, self.bias)"),
    ),
    Variant(
        "nn_init_and_addmm",
        grade_id="linear_regression",
        code="import math\n\n\n"
        + linreg(
            """
            self.weight = nn.Parameter(torch.empty(out_features, in_features))
            self.bias = nn.Parameter(torch.empty(out_features))
            nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
            bound = 1 / math.sqrt(in_features)
            nn.init.uniform_(self.bias, -bound, bound)
            """,
            "return torch.addmm(self.bias, x, self.weight.t())",
        ),
    ),
    Variant(
        "register_parameter_and_einsum",
        grade_id="linear_regression",
        code=linreg(
            """
            k = in_features ** -0.5
            self.register_parameter("weight", nn.Parameter((torch.rand(out_features, in_features) * 2 - 1) * k))
            self.register_parameter("bias", nn.Parameter((torch.rand(out_features) * 2 - 1) * k))
            """,
            'return torch.einsum("ni,oi->no", x, self.weight) + self.bias',
        ),
    ),
    Variant(
        "parameters_borrowed_from_nn_linear",
        grade_id="linear_regression",
        code=linreg(
            """
            template = nn.Linear(in_features, out_features)
            self.weight = template.weight
            self.bias = template.bias
            """,
            "return torch.matmul(x, self.weight.t()) + self.bias",
        ),
    ),
    # ---------------------------------------------------------------- Exercise 2: fit
    Variant(
        "fit_tensor_accumulator_zero_grad_first",
        grade_id="fit",
        code=fit_with(
            """
            history = []
            for _ in range(epochs):
                weighted, rows = torch.zeros((), dtype=torch.float64), 0
                for xb, yb in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    weighted = weighted + loss.detach().cpu().double() * xb.shape[0]
                    rows += xb.shape[0]
                history.append(float(weighted / rows))
            return history
            """
        ),
    ),
    Variant(
        "fit_lists_of_losses_and_sizes",
        grade_id="fit",
        code=fit_with(
            """
            history = []
            for _ in range(epochs):
                losses, sizes = [], []
                for xb, yb in loader:
                    loss = loss_fn(model(xb), yb)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.item())
                    sizes.append(len(yb))
                history.append(sum(l * n for l, n in zip(losses, sizes)) / sum(sizes))
            return history
            """
        ),
    ),
    # ---------------------------------------------------------------- Exercise 3: hand_sgd
    Variant(
        "sgd_buffer_starts_at_zero",
        grade_id="hand_sgd",
        code=sgd(
            sgd_loop(
                """
                d = p.grad
                if group["weight_decay"] != 0:
                    d = d.add(p, alpha=group["weight_decay"])
                if mu != 0:
                    buf = self.state[p].setdefault("momentum_buffer", torch.zeros_like(p))
                    buf.mul_(mu).add_(d)
                    d = d + mu * buf if group["nesterov"] else buf
                p.sub_(lr * d)
                """
            )
        ),
    ),
    Variant(
        "sgd_new_tensors_and_copy",
        grade_id="hand_sgd",
        code=sgd(
            """
            loss = None
            if closure is not None:
                with torch.enable_grad():
                    loss = closure()
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    d = p.grad + group["weight_decay"] * p
                    if group["momentum"]:
                        old = self.state[p].get("momentum_buffer")
                        buf = d.clone() if old is None else group["momentum"] * old + d
                        self.state[p]["momentum_buffer"] = buf
                        d = d + group["momentum"] * buf if group["nesterov"] else buf
                    p.copy_(p - group["lr"] * d)
            return loss
            """
        ),
    ),
    Variant(
        "sgd_closure_via_decorator_free_call",
        grade_id="hand_sgd",
        code=sgd(
            sgd_loop(
                GOOD_SGD_INNER,
                closure="""
                loss = None
                if closure is not None:
                    torch.set_grad_enabled(True)
                    try:
                        loss = closure()
                    finally:
                        torch.set_grad_enabled(False)
                """,
            )
        ),
    ),
    # ---------------------------------------------------------------- Exercise 4: hand_adam
    Variant(
        "adam_lerp_addcdiv_like_torch",
        grade_id="hand_adam",
        code=adam(
            adam_loop(
                """
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                    state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                state["step"] += 1
                m, v, t = state["exp_avg"], state["exp_avg_sq"], state["step"]
                m.lerp_(g, 1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                denom = (v.sqrt() / (1 - beta2 ** t) ** 0.5).add_(group["eps"])
                p.addcdiv_(m, denom, value=-group["lr"] / (1 - beta1 ** t))
                """
            )
        ),
    ),
    Variant(
        "adam_new_state_tensors_each_step",
        grade_id="hand_adam",
        code=adam(
            adam_loop(
                """
                st = self.state[p]
                t = st.get("t", 0) + 1
                m = beta1 * st.get("m", torch.zeros_like(p)) + (1 - beta1) * g
                v = beta2 * st.get("v", torch.zeros_like(p)) + (1 - beta2) * g ** 2
                st.update(t=t, m=m, v=v)
                step = group["lr"] * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + group["eps"])
                p.sub_(step)
                """
            )
        ),
    ),
    Variant(
        "adam_tensor_step_count_like_torch",
        grade_id="hand_adam",
        code=adam(
            adam_loop(
                """
                state = self.state[p]
                if not state:
                    state["step"] = torch.tensor(0.0)
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"].item()
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                """,
                ADAM_UPDATE,
            )
        ),
    ),
    Variant(
        "adam_foreach_per_group",
        grade_id="hand_adam",
        code="import math\n\n\n"
        + adam(
            """
            loss = None
            if closure is not None:
                with torch.enable_grad():
                    loss = closure()
            for group in self.param_groups:
                beta1, beta2 = group["betas"]
                params = [p for p in group["params"] if p.grad is not None]
                if not params:
                    continue
                for p in params:
                    if not self.state[p]:
                        self.state[p].update(step=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                    self.state[p]["step"] += 1
                grads = [p.grad for p in params]
                ms = [self.state[p]["m"] for p in params]
                vs = [self.state[p]["v"] for p in params]
                torch._foreach_lerp_(ms, grads, 1 - beta1)
                torch._foreach_mul_(vs, beta2)
                torch._foreach_addcmul_(vs, grads, grads, value=1 - beta2)
                for p, m, v in zip(params, ms, vs):
                    t = self.state[p]["step"]
                    denom = v.sqrt() / math.sqrt(1 - beta2 ** t) + group["eps"]
                    p.addcdiv_(m, denom, value=-group["lr"] / (1 - beta1 ** t))
            return loss
            """
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: weight_decay
    Variant(
        "decay_add_alpha",
        grade_id="weight_decay",
        code=decoupled(
            """
            for group in self.optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.add_(p, alpha=-group["lr"] * self.weight_decay)
            self.optimizer.step()
            """
        ),
    ),
    Variant(
        "l2_penalty_vector_norm",
        grade_id="weight_decay",
        code=l2("return weight_decay / 2 * sum(torch.linalg.vector_norm(p) ** 2 for p in params)"),
    ),
    Variant(
        "l2_penalty_stacked_squares",
        grade_id="weight_decay",
        code=l2("return 0.5 * weight_decay * torch.stack([p.pow(2).sum() for p in params]).sum()"),
    ),
    Variant(
        "decay_foreach",
        grade_id="weight_decay",
        code=decoupled(
            """
            for group in self.optimizer.param_groups:
                with_grad = [p for p in group["params"] if p.grad is not None]
                if with_grad:
                    torch._foreach_mul_(with_grad, 1 - group["lr"] * self.weight_decay)
            self.optimizer.step()
            """
        ),
    ),
    # ---------------------------------------------------------------- Exercise 6: standardizer
    Variant(
        "standardizer_std_mean_masked_fill",
        grade_id="standardizer",
        code=standardizer(
            """
            std, self.mean = torch.std_mean(train_inputs, dim=0, correction=0)
            self.std = std.masked_fill(std == 0, 1.0)
            """,
            "return (inputs - self.mean) / self.std",
        ),
    ),
    Variant(
        "standardizer_var_sqrt_index_assign",
        grade_id="standardizer",
        code=standardizer(
            """
            self.mean = train_inputs.mean(dim=0)
            self.std = train_inputs.var(dim=0, unbiased=False).sqrt()
            self.std[self.std == 0] = 1.0
            """,
            "return inputs.sub(self.mean).div(self.std)",
        ),
    ),
    Variant(
        "standardizer_statistics_method_on_a_copy",
        grade_id="standardizer",
        code=dedent(
            """
            class Standardizer:
                def __init__(self, train_inputs):
                    self.mean, self.std = self.statistics(train_inputs.clone())

                @staticmethod
                def statistics(x):
                    mean = x.mean(dim=0)
                    std = ((x - mean) ** 2).mean(dim=0).sqrt()
                    return mean, std + (std == 0).to(std.dtype)

                def __call__(self, inputs):
                    return (inputs - self.mean) / self.std
            """
        ).strip("\n")
        + "\n",
    ),
    # ---------------------------------------------------------------- Exercise 7: fit_and_evaluate
    Variant(
        "fae_own_loop",
        grade_id="fit_and_evaluate",
        code=fae(
            """
            train_losses, held_out_losses, best = [], [], None
            for _ in range(epochs):
                weighted, rows = 0.0, 0
                for xb, yb in train_loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    weighted += loss.item() * len(xb)
                    rows += len(xb)
                train_losses.append(weighted / rows)
                with torch.no_grad():
                    held_out_losses.append(float(loss_fn(model(held_out_inputs), held_out_targets)))
                if best is None or held_out_losses[-1] < best[0]:
                    best = (held_out_losses[-1], {k: v.detach().clone() for k, v in model.state_dict().items()})
            model.load_state_dict(best[1])
            return train_losses, held_out_losses
            """
        ),
    ),
    Variant(
        "fae_keep_a_model_copy",
        grade_id="fit_and_evaluate",
        code=fae(
            fae_loop(
                keep="""
                if held_out < best_loss:
                    best_loss, best_state = held_out, copy.deepcopy(model)
                """,
                restore="""
                if best_state is not None:
                    model.load_state_dict(best_state.state_dict())
                """,
            )
        ),
    ),
    Variant(
        "fae_all_states_then_argmin",
        grade_id="fit_and_evaluate",
        code=fae(
            """
            train_losses, held_out_losses, states = [], [], []
            for _ in range(epochs):
                train_losses.extend(fit(model, train_loader, optimizer, 1, loss_fn=loss_fn))
                with torch.no_grad():
                    held_out_losses.append(loss_fn(model(held_out_inputs), held_out_targets).item())
                states.append(copy.deepcopy(model.state_dict()))
            best = min(range(len(held_out_losses)), key=held_out_losses.__getitem__)
            model.load_state_dict(states[best])
            return train_losses, held_out_losses
            """
        ),
    ),
]
