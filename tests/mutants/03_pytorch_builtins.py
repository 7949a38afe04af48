"""Known-wrong answers (mutants) and unusual right answers (variants) for 03_pytorch_builtins.

Every `old` occurs verbatim in the instructor's solution cell named by `grade_id`
(source/03_pytorch_builtins/03_pytorch_builtins.ipynb). `visible=True` means the notebook's own check
cell for that exercise was verified to print something other than "Exercise N: OK" (or to raise).
"""

from autograder.mutation import Mutant, Variant

# ----------------------------------------------------------------------------------------------
# whole-cell replacements used below
# ----------------------------------------------------------------------------------------------

_LINREG_TRANSPOSED = """
class LinearRegression(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        k = 1.0 / in_features ** 0.5
        self.weight = nn.Parameter(torch.empty(in_features, out_features).uniform_(-k, k))
        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-k, k))

    def forward(self, x):
        return x @ self.weight + self.bias
"""

_LINREG_NOT_REGISTERED = """
class LinearRegression(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        k = 1.0 / in_features ** 0.5
        self.weight = torch.empty(out_features, in_features).uniform_(-k, k).requires_grad_()
        self.bias = torch.empty(out_features).uniform_(-k, k).requires_grad_()

    def forward(self, x):
        return x @ self.weight.T + self.bias
"""

_LINREG_NN_INIT = """
import math


class LinearRegression(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        bound = 1 / math.sqrt(in_features)
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return torch.addmm(self.bias, x, self.weight.t())
"""

_LINREG_REGISTER_PARAMETER = """
class LinearRegression(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        k = in_features ** -0.5
        self.register_parameter("weight", nn.Parameter((torch.rand(out_features, in_features) * 2 - 1) * k))
        self.register_parameter("bias", nn.Parameter((torch.rand(out_features) * 2 - 1) * k))

    def forward(self, x):
        return torch.einsum("ni,oi->no", x, self.weight) + self.bias
"""

_FIT_TENSOR_ACCUMULATOR = """
def fit(model, loader, optimizer, epochs, loss_fn=F.mse_loss):
    history = []
    for _ in range(epochs):
        weighted, rows = torch.zeros(()), 0
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

_SGD_SUTSKEVER_VELOCITY = """
class HandSGD:
    def __init__(self, params, lr=1e-3, momentum=0.0, nesterov=False):
        self.params = list(params)
        self.lr = lr
        self.momentum = momentum
        self.nesterov = nesterov
        self.state = {}

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        # velocity v = -lr * b (other sign and scale than torch's buffer): same trajectory at constant lr
        for p in self.params:
            if p.grad is None:
                continue
            v = self.state.setdefault(p, torch.zeros_like(p))
            v.mul_(self.momentum).sub_(self.lr * p.grad)
            if self.nesterov:
                p.add_(self.momentum * v - self.lr * p.grad)
            else:
                p.add_(v)
"""

_ADAM_PER_PARAM_COUNTERS = """
class HandAdam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.state = {}

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        beta1, beta2 = self.betas
        for p in self.params:
            if p.grad is None:
                continue
            st = self.state.setdefault(p, {"step": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)})
            st["step"] += 1
            t = st["step"]
            st["m"] = beta1 * st["m"] + (1 - beta1) * p.grad
            st["v"] = beta2 * st["v"] + (1 - beta2) * p.grad ** 2
            m_hat = st["m"] / (1 - beta1 ** t)
            v_hat = st["v"] / (1 - beta2 ** t)
            p -= self.lr * m_hat / (torch.sqrt(v_hat) + self.eps)
"""

_ADAM_FOREACH = """
import math


class HandAdam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.t = 0
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        beta1, beta2 = self.betas
        self.t += 1
        idx = [i for i, p in enumerate(self.params) if p.grad is not None]
        params = [self.params[i] for i in idx]
        grads = [p.grad for p in params]
        ms = [self.exp_avg[i] for i in idx]
        vs = [self.exp_avg_sq[i] for i in idx]
        torch._foreach_lerp_(ms, grads, 1 - beta1)
        torch._foreach_mul_(vs, beta2)
        torch._foreach_addcmul_(vs, grads, grads, value=1 - beta2)
        step_size = self.lr / (1 - beta1 ** self.t)
        denom = torch._foreach_sqrt(vs)
        torch._foreach_div_(denom, math.sqrt(1 - beta2 ** self.t))
        torch._foreach_add_(denom, self.eps)
        torch._foreach_addcdiv_(params, ms, denom, value=-step_size)
"""

_DECAY_AFTER_STEP = """
def l2_penalty(params, weight_decay):
    return weight_decay / 2 * sum((p * p).sum() for p in params)


class DecoupledWeightDecay:
    def __init__(self, optimizer, weight_decay):
        self.optimizer = optimizer
        self.weight_decay = weight_decay

    def zero_grad(self):
        self.optimizer.zero_grad()

    @torch.no_grad()
    def step(self):
        self.optimizer.step()
        for group in self.optimizer.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.mul_(1 - group["lr"] * self.weight_decay)
"""

_STANDARDIZE_IN_PLACE = """
def standardize(train_inputs):
    mean = train_inputs.mean(dim=0)
    std = train_inputs.std(dim=0, unbiased=False)
    std = torch.where(std == 0, torch.ones_like(std), std)
    train_inputs -= mean
    train_inputs /= std
    return train_inputs, mean, std
"""

_STANDARDIZE_STD_MEAN = """
def standardize(train_inputs):
    std, mean = torch.std_mean(train_inputs, dim=0, correction=0)
    std = std.masked_fill(std == 0, 1.0)
    return (train_inputs - mean) / std, mean, std
"""

MUTANTS = [
    # ---------------------------------------------------------------- exercise 1: LinearRegression
    Mutant("weight_transposed", grade_id="linear_regression", code=_LINREG_TRANSPOSED, visible=True),
    Mutant(
        "bias_shape_row",
        grade_id="linear_regression",
        old="torch.empty(out_features).uniform_(-k, k)",
        new="torch.empty(1, out_features).uniform_(-k, k)",
        visible=True,
    ),
    Mutant("parameters_not_registered", grade_id="linear_regression", code=_LINREG_NOT_REGISTERED, visible=True),
    Mutant(
        "randn_init",
        grade_id="linear_regression",
        old="torch.empty(out_features, in_features).uniform_(-k, k)",
        new="torch.randn(out_features, in_features)",
        visible=True,
    ),
    Mutant(
        "forward_without_bias",
        grade_id="linear_regression",
        old="return x @ self.weight.T + self.bias",
        new="return x @ self.weight.T",
        visible=True,
    ),
    # ---------------------------------------------------------------- exercise 2: fit
    Mutant("fit_no_zero_grad", grade_id="fit", old="            optimizer.zero_grad()\n", new="", visible=True),
    Mutant(
        "fit_zero_grad_after_backward",
        grade_id="fit",
        old="optimizer.zero_grad()\n            loss.backward()",
        new="loss.backward()\n            optimizer.zero_grad()",
        visible=True,
    ),
    Mutant(
        "fit_unweighted_batch_mean",
        grade_id="fit",
        old="total += loss.item() * len(xb)\n            count += len(xb)",
        new="total += loss.item()\n            count += 1",
        visible=True,
    ),
    Mutant(
        "fit_reports_last_batch_loss",
        grade_id="fit",
        old="history.append(total / count)",
        new="history.append(loss.item())",
        visible=True,
    ),
    Mutant(
        "fit_reports_sum",
        grade_id="fit",
        old="history.append(total / count)",
        new="history.append(total)",
        visible=True,
    ),
    Mutant(
        "fit_keeps_tensors",
        grade_id="fit",
        old="total += loss.item() * len(xb)",
        new="total += loss * len(xb)",
        visible=True,
    ),
    Mutant(
        "fit_ignores_loss_fn",
        grade_id="fit",
        old="loss = loss_fn(model(xb), yb)",
        new="loss = F.mse_loss(model(xb), yb)",
        visible=True,
    ),
    # ---------------------------------------------------------------- exercise 3: HandSGD
    Mutant(
        "momentum_velocity_not_kept", grade_id="hand_sgd", old="buf = self.state.get(p)", new="buf = None", visible=True
    ),
    Mutant(
        "nesterov_as_plain_momentum",
        grade_id="hand_sgd",
        old="g = g + self.momentum * buf if self.nesterov else buf",
        new="g = buf",
        visible=True,
    ),
    Mutant(
        "momentum_ema_dampened",
        grade_id="hand_sgd",
        old="buf.mul_(self.momentum).add_(g)",
        new="buf.mul_(self.momentum).add_((1 - self.momentum) * g)",
        visible=True,
    ),
    Mutant("momentum_buffer_aliases_grad", grade_id="hand_sgd", old="buf = g.clone()", new="buf = g", visible=True),
    Mutant(
        "momentum_ignored",
        grade_id="hand_sgd",
        old="            p.sub_(self.lr * g)\n",
        new="            p.sub_(self.lr * p.grad)\n",
        visible=True,
    ),
    # ---------------------------------------------------------------- exercise 4: HandAdam
    Mutant(
        "adam_no_bias_correction",
        grade_id="hand_adam",
        old="m_hat = m / bc1\n            v_hat = v / bc2",
        new="m_hat = m\n            v_hat = v",
        hint="bias correction",
        visible=True,
    ),
    Mutant(
        "adam_eps_inside_sqrt",
        grade_id="hand_adam",
        old="(v_hat.sqrt() + self.eps)",
        new="(v_hat + self.eps).sqrt()",
        hint="inside the square root",
        visible=True,
    ),
    Mutant(
        "adam_step_counter_per_parameter",
        grade_id="hand_adam",
        old=(
            "        self.t += 1\n        bc1 = 1 - beta1 ** self.t\n        bc2 = 1 - beta2 ** self.t\n"
            "        for p in self.params:\n            if p.grad is None:\n                continue\n"
        ),
        new=(
            "        for p in self.params:\n            if p.grad is None:\n                continue\n"
            "            self.t += 1\n            bc1 = 1 - beta1 ** self.t\n"
            "            bc2 = 1 - beta2 ** self.t\n"
        ),
        visible=True,
    ),
    Mutant(
        "adam_moments_not_kept",
        grade_id="hand_adam",
        old="m, v = self.state[p]",
        new="m, v = torch.zeros_like(p), torch.zeros_like(p)",
        visible=True,
    ),
    Mutant(
        "adam_no_sqrt", grade_id="hand_adam", old="(v_hat.sqrt() + self.eps)", new="(v_hat + self.eps)", visible=True
    ),
    Mutant("adam_step_counter_starts_at_one", grade_id="hand_adam", old="self.t = 0", new="self.t = 1", visible=True),
    Mutant(
        "adam_m_missing_one_minus_beta1",
        grade_id="hand_adam",
        old="m.mul_(beta1).add_((1 - beta1) * g)",
        new="m.mul_(beta1).add_(g)",
        visible=True,
    ),
    Mutant(
        "adam_v_of_abs_gradient",
        grade_id="hand_adam",
        old="(1 - beta2) * g * g",
        new="(1 - beta2) * g.abs()",
        visible=True,
    ),
    # ---------------------------------------------------------------- exercise 5: weight decay
    Mutant(
        "adamw_written_as_l2",
        grade_id="weight_decay",
        old='p.mul_(1 - group["lr"] * self.weight_decay)',
        new="p.grad.add_(p, alpha=self.weight_decay)",
        hint="decoupled",
        visible=True,
    ),
    Mutant(
        "decoupled_decay_without_lr",
        grade_id="weight_decay",
        old='p.mul_(1 - group["lr"] * self.weight_decay)',
        new="p.mul_(1 - self.weight_decay)",
        visible=True,
    ),
    Mutant("decoupled_decay_after_step", grade_id="weight_decay", code=_DECAY_AFTER_STEP, visible=True),
    Mutant(
        "l2_penalty_missing_half",
        grade_id="weight_decay",
        old="weight_decay / 2 * sum(",
        new="weight_decay * sum(",
        visible=True,
    ),
    Mutant(
        "l2_penalty_norm_not_squared",
        grade_id="weight_decay",
        old="sum((p * p).sum() for p in params)",
        new="sum(p.norm() for p in params)",
        visible=True,
    ),
    Mutant(
        "l2_penalty_detached",
        grade_id="weight_decay",
        old="sum((p * p).sum() for p in params)",
        new="sum((p * p).sum().item() for p in params)",
        visible=True,
    ),
    # ---------------------------------------------------------------- exercise 6: standardize
    Mutant(
        "standardize_wrong_axis",
        grade_id="standardize",
        old="    mean = train_inputs.mean(dim=0)\n    std = train_inputs.std(dim=0, unbiased=False)\n",
        new="    mean = train_inputs.mean(dim=1)\n    std = train_inputs.std(dim=1, unbiased=False)\n",
        visible=True,
    ),
    Mutant(
        "standardize_sample_std",
        grade_id="standardize",
        old="train_inputs.std(dim=0, unbiased=False)",
        new="train_inputs.std(dim=0)",
        visible=True,
    ),
    Mutant(
        "standardize_std_not_guarded",
        grade_id="standardize",
        old="    std = torch.where(std == 0, torch.ones_like(std), std)\n",
        new="",
        visible=True,
    ),
    Mutant(
        "standardize_eps_instead_of_one",
        grade_id="standardize",
        old="torch.where(std == 0, torch.ones_like(std), std)",
        new="std.clamp(min=1e-8)",
        visible=True,
    ),
    Mutant(
        "standardize_keepdim",
        grade_id="standardize",
        old="    mean = train_inputs.mean(dim=0)\n    std = train_inputs.std(dim=0, unbiased=False)\n",
        new=(
            "    mean = train_inputs.mean(dim=0, keepdim=True)\n"
            "    std = train_inputs.std(dim=0, unbiased=False, keepdim=True)\n"
        ),
        visible=True,
    ),
    Mutant("standardize_in_place", grade_id="standardize", code=_STANDARDIZE_IN_PLACE, visible=True),
]

VARIANTS = [
    # exercise 1
    Variant(
        "forward_f_linear",
        grade_id="linear_regression",
        old="return x @ self.weight.T + self.bias",
        new="return F.linear(x, self.weight, self.bias)",
    ),
    Variant("nn_init_and_addmm", grade_id="linear_regression", code=_LINREG_NN_INIT),
    Variant("register_parameter_and_einsum", grade_id="linear_regression", code=_LINREG_REGISTER_PARAMETER),
    # exercise 2
    Variant("fit_tensor_accumulator_zero_grad_first", grade_id="fit", code=_FIT_TENSOR_ACCUMULATOR),
    # exercise 3
    Variant(
        "momentum_buffer_starts_at_zero",
        grade_id="hand_sgd",
        old=(
            "                buf = self.state.get(p)\n                if buf is None:\n"
            "                    buf = g.clone()\n                    self.state[p] = buf\n"
            "                else:\n                    buf.mul_(self.momentum).add_(g)\n"
        ),
        new=(
            "                buf = self.state.setdefault(p, torch.zeros_like(p))\n"
            "                buf.mul_(self.momentum).add_(g)\n"
        ),
    ),
    Variant("momentum_sutskever_velocity", grade_id="hand_sgd", code=_SGD_SUTSKEVER_VELOCITY),
    # exercise 4
    Variant(
        "adam_lerp_addcmul",
        grade_id="hand_adam",
        old="m.mul_(beta1).add_((1 - beta1) * g)\n            v.mul_(beta2).add_((1 - beta2) * g * g)",
        new="m.lerp_(g, 1 - beta1)\n            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)",
    ),
    Variant(
        "adam_torch_style_addcdiv",
        grade_id="hand_adam",
        old=(
            "m_hat = m / bc1\n            v_hat = v / bc2\n"
            "            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))"
        ),
        new=("denom = (v.sqrt() / bc2 ** 0.5).add_(self.eps)\n            p.addcdiv_(m, denom, value=-self.lr / bc1)"),
    ),
    Variant("adam_per_parameter_counters", grade_id="hand_adam", code=_ADAM_PER_PARAM_COUNTERS),
    Variant("adam_foreach", grade_id="hand_adam", code=_ADAM_FOREACH),
    # exercise 5
    Variant(
        "decay_add_alpha",
        grade_id="weight_decay",
        old='p.mul_(1 - group["lr"] * self.weight_decay)',
        new='p.add_(p, alpha=-group["lr"] * self.weight_decay)',
    ),
    Variant(
        "l2_penalty_vector_norm",
        grade_id="weight_decay",
        old="sum((p * p).sum() for p in params)",
        new="sum(torch.linalg.vector_norm(p) ** 2 for p in params)",
    ),
    # exercise 6
    Variant("standardize_std_mean_masked_fill", grade_id="standardize", code=_STANDARDIZE_STD_MEAN),
    Variant(
        "standardize_var_sqrt_index_assign",
        grade_id="standardize",
        old=(
            "    std = train_inputs.std(dim=0, unbiased=False)\n"
            "    std = torch.where(std == 0, torch.ones_like(std), std)\n"
        ),
        new=("    std = train_inputs.var(dim=0, correction=0).sqrt()\n    std[std == 0] = 1.0\n"),
    ),
]
