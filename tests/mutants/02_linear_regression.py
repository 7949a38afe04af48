"""Known-wrong answers (MUTANTS) and unusual right answers (VARIANTS) for 02_linear_regression.

Each entry edits one solution cell of source/02_linear_regression/02_linear_regression.ipynb.
visible=True: the notebook's own check of that exercise does not print "Exercise N: OK" for it
(it prints a message or the student's code raises).
"""

from autograder.mutation import Mutant, Variant

# Recurring fragments of the solution cells.
_GD_STEP = "        w -= lr * w.grad\n        b -= lr * b.grad\n"
_GD_ZERO = "        w.grad.zero_()\n        b.grad.zero_()\n"
_SGD_ORDER = "        order = torch.randperm(n).tolist()  # a fresh order every epoch\n"
_SGD_LOOP = (
    "        for i in order:\n            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
)
_MB_PERM = "        perm = torch.randperm(n, device=inputs.device)\n"
_MB_LOOP = (
    "        for start in range(0, n, batch_size):\n"
    "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
    "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
)
_MOMENTUM_HEAD = (
    "class OptimMomentum(OptimSGD):\n"
    '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
    "\n"
    "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
    "        ### BEGIN SOLUTION\n"
    "        super().__init__(params, lr)\n"
    "        self.momentum = momentum\n"
)
_VELOCITY_UPDATE = (
    "                if self.velocity[i] is None:\n"
    "                    self.velocity[i] = g.clone()\n"
    "                else:\n"
    "                    self.velocity[i].mul_(self.momentum).add_(g)\n"
)
_MOMENTUM_STEP = _VELOCITY_UPDATE + "                p -= self.lr * self.velocity[i]\n"
_NESTEROV_STEP = _VELOCITY_UPDATE + "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"

MUTANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_model
    Mutant("transpose_missing", grade_id="linear_model", old="inputs @ w.t() + b", new="inputs @ w + b", visible=True),
    Mutant(
        "operands_swapped", grade_id="linear_model", old="inputs @ w.t() + b", new="w @ inputs.t() + b", visible=True
    ),
    Mutant(
        "bias_on_wrong_axis",
        grade_id="linear_model",
        old="inputs @ w.t() + b",
        new="inputs @ w.t() + b[:, None]",
        visible=True,
    ),
    Mutant("bias_missing", grade_id="linear_model", old="inputs @ w.t() + b", new="inputs @ w.t()", visible=True),
    Mutant(
        "reshape_instead_of_transpose",
        grade_id="linear_model",
        old="inputs @ w.t() + b",
        new="inputs @ w.reshape(w.shape[1], w.shape[0]) + b",
        visible=True,
    ),
    Mutant(
        "closure_captures_clones",
        grade_id="linear_model",
        old="    def model(inputs):\n",
        new="    w, b = w.clone(), b.clone()\n\n    def model(inputs):\n",
        visible=True,
    ),
    Mutant(
        "closure_captures_detached",
        grade_id="linear_model",
        old="    def model(inputs):\n",
        new="    w, b = w.detach(), b.detach()\n\n    def model(inputs):\n",
        visible=True,
    ),
    Mutant(
        "inputs_argument_ignored",
        grade_id="linear_model",
        old="    def model(inputs):\n        return inputs @ w.t() + b",
        new="    def model(x):\n        return inputs @ w.t() + b",
        visible=True,
    ),
    Mutant(
        "course_data_hard_coded",
        grade_id="linear_model",
        old="inputs @ w.t() + b",
        new="torch.tensor([[73., 67., 43.], [91., 88., 64.], [87., 134., 58.], [102., 43., 37.], "
        "[69., 96., 70.]], dtype=w.dtype) @ w.t() + b",
        visible=True,
    ),
    Mutant(
        "w_data_no_gradient",
        grade_id="linear_model",
        old="inputs @ w.t() + b",
        new="inputs @ w.data.t() + b.data",
        visible=True,
    ),
    Mutant(
        "numpy_array_returned",
        grade_id="linear_model",
        old="inputs @ w.t() + b",
        new="(inputs @ w.t() + b).detach().numpy()",
        visible=True,
    ),
    # ---------------------------------------------------------------- Exercise 2: mse
    Mutant(
        "sum_not_mean",
        grade_id="mse",
        old="(diff ** 2).mean()",
        new="(diff ** 2).sum()",
        hint="sum instead of mean",
        visible=True,
    ),
    Mutant("absolute_error", grade_id="mse", old="(diff ** 2).mean()", new="diff.abs().mean()", visible=True),
    Mutant("not_squared", grade_id="mse", old="(diff ** 2).mean()", new="diff.mean()", visible=True),
    Mutant("square_of_mean", grade_id="mse", old="(diff ** 2).mean()", new="diff.mean() ** 2", visible=True),
    Mutant(
        "divided_by_rows_only",
        grade_id="mse",
        old="(diff ** 2).mean()",
        new="(diff ** 2).sum() / diff.shape[0]",
        visible=True,
    ),
    Mutant(
        "divided_by_columns_only",
        grade_id="mse",
        old="(diff ** 2).mean()",
        new="(diff ** 2).sum() / diff.shape[1]",
        visible=True,
    ),
    Mutant("root_mean_square", grade_id="mse", old="(diff ** 2).mean()", new="(diff ** 2).mean().sqrt()", visible=True),
    Mutant("half_mse", grade_id="mse", old="(diff ** 2).mean()", new="(diff ** 2).mean() / 2", visible=True),
    Mutant(
        "python_float_returned", grade_id="mse", old="(diff ** 2).mean()", new="(diff ** 2).mean().item()", visible=True
    ),
    Mutant(
        "vector_mean_over_dim0", grade_id="mse", old="(diff ** 2).mean()", new="(diff ** 2).mean(dim=0)", visible=True
    ),
    Mutant("detached_loss", grade_id="mse", old="(diff ** 2).mean()", new="(diff ** 2).mean().detach()", visible=True),
    Mutant(
        "numpy_loss",
        grade_id="mse",
        old="    diff = preds - targets\n    return (diff ** 2).mean()",
        new="    return np.mean((preds.detach().cpu().numpy() - targets.detach().cpu().numpy()) ** 2)",
        visible=True,
    ),
    Mutant(
        "preds_modified_in_place",
        grade_id="mse",
        old="diff = preds - targets",
        new="diff = preds.sub_(targets)",
        visible=True,
    ),
    # ---------------------------------------------------------------- Exercise 3: perform_one_update
    Mutant(
        "update_outside_no_grad",
        grade_id="perform_one_update",
        old="    with torch.no_grad():\n" + _GD_STEP + _GD_ZERO,
        new="    w -= lr * w.grad\n    b -= lr * b.grad\n    w.grad.zero_()\n    b.grad.zero_()\n",
        visible=True,
    ),
    Mutant("grad_never_zeroed", grade_id="perform_one_update", old=_GD_ZERO, new="", hint="not zeroed", visible=True),
    Mutant("only_w_grad_zeroed", grade_id="perform_one_update", old="        b.grad.zero_()\n", new="", visible=True),
    Mutant(
        "grad_zeroed_before_step",
        grade_id="perform_one_update",
        old=_GD_STEP + _GD_ZERO,
        new=_GD_ZERO + _GD_STEP,
        visible=True,
    ),
    Mutant(
        "rebinding_not_in_place",
        grade_id="perform_one_update",
        old=_GD_STEP + _GD_ZERO,
        new="        w = w - lr * w.grad\n        b = b - lr * b.grad\n",
        visible=True,
    ),
    Mutant(
        "wrong_sign",
        grade_id="perform_one_update",
        old=_GD_STEP,
        new="        w += lr * w.grad\n        b += lr * b.grad\n",
        visible=True,
    ),
    Mutant(
        "lr_argument_ignored",
        grade_id="perform_one_update",
        old=_GD_STEP,
        new="        w -= 1e-5 * w.grad\n        b -= 1e-5 * b.grad\n",
        visible=True,
    ),
    Mutant("bias_not_updated", grade_id="perform_one_update", old="        b -= lr * b.grad\n", new="", visible=True),
    Mutant(
        "w_detached_afterwards",
        grade_id="perform_one_update",
        old="    return loss.item()",
        new="    w.detach_()\n    return loss.item()",
        visible=True,
    ),
    Mutant(
        "loss_returned_as_tensor",
        grade_id="perform_one_update",
        old="    return loss.item()",
        new="    return loss",
        visible=True,
    ),
    Mutant(
        "loss_after_update_returned",
        grade_id="perform_one_update",
        old="    return loss.item()",
        new="    return mse(model(inputs), targets).item()",
        visible=True,
    ),
    Mutant("nothing_returned", grade_id="perform_one_update", old="    return loss.item()", new="", visible=True),
    Mutant(
        "model_argument_ignored",
        grade_id="perform_one_update",
        old="    loss = mse(model(inputs), targets)",
        new="    loss = mse(inputs @ w.t() + b, targets)",
        visible=True,
    ),
    # ---------------------------------------------------------------- Exercise 4: train_with_GD
    Mutant("gd_one_epoch_short", grade_id="train_with_GD", old="range(epochs)", new="range(epochs - 1)", visible=True),
    Mutant(
        "gd_one_epoch_too_many", grade_id="train_with_GD", old="range(epochs)", new="range(epochs + 1)", visible=True
    ),
    Mutant(
        "gd_losses_before_update",
        grade_id="train_with_GD",
        old="        perform_one_update(model, inputs, targets, w, b, lr)\n"
        "        losses.append(evaluate_loss(model, inputs, targets))",
        new="        losses.append(perform_one_update(model, inputs, targets, w, b, lr))",
        visible=True,
    ),
    Mutant(
        "gd_lr_not_passed_on",
        grade_id="train_with_GD",
        old="perform_one_update(model, inputs, targets, w, b, lr)",
        new="perform_one_update(model, inputs, targets, w, b)",
        visible=True,
    ),
    Mutant(
        "gd_losses_as_tensors",
        grade_id="train_with_GD",
        old="losses.append(evaluate_loss(model, inputs, targets))",
        new="losses.append(mse(model(inputs), targets))",
        visible=True,
    ),
    Mutant("gd_nothing_returned", grade_id="train_with_GD", old="    return losses", new="", visible=True),
    # ---------------------------------------------------------------- Exercise 4: train_with_SGD
    Mutant(
        "sgd_one_epoch_short", grade_id="train_with_SGD", old="range(epochs)", new="range(epochs - 1)", visible=True
    ),
    Mutant(
        "sgd_no_shuffle",
        grade_id="train_with_SGD",
        old="torch.randperm(n).tolist()",
        new="list(range(n))",
        visible=True,
    ),
    Mutant(
        "sgd_shuffled_once",
        grade_id="train_with_SGD",
        old="    for epoch in range(epochs):\n" + _SGD_ORDER,
        new="    order = torch.randperm(n).tolist()  # drawn once\n    for epoch in range(epochs):\n",
        visible=True,
    ),
    Mutant(
        "sgd_inputs_shuffled_without_targets",
        grade_id="train_with_SGD",
        old=_SGD_LOOP,
        new="        for k, i in enumerate(order):\n"
        "            perform_one_update(model, inputs[i:i + 1], targets[k:k + 1], w, b, lr)\n",
        hint="shuffled without their targets",
        visible=True,
    ),
    Mutant(
        "sgd_sampling_with_replacement",
        grade_id="train_with_SGD",
        old="torch.randperm(n).tolist()",
        new="torch.randint(n, (n,)).tolist()",
        visible=True,
    ),
    Mutant(
        "sgd_last_sample_dropped",
        grade_id="train_with_SGD",
        old="torch.randperm(n).tolist()",
        new="torch.randperm(n - 1).tolist()",
        visible=True,
    ),
    Mutant(
        "sgd_caller_data_shuffled_in_place",
        grade_id="train_with_SGD",
        old=_SGD_ORDER + "        for i in order:\n",
        new="        perm = torch.randperm(n)\n        inputs.copy_(inputs[perm])\n"
        "        targets.copy_(targets[perm])\n        for i in range(n):\n",
        visible=True,
    ),
    Mutant(
        "sgd_numpy_shuffle_of_inputs",
        grade_id="train_with_SGD",
        old=_SGD_ORDER + "        for i in order:\n",
        new="        np.random.shuffle(inputs)\n        for i in range(n):\n",
        visible=True,
    ),
    Mutant(
        "sgd_full_batch_updates",
        grade_id="train_with_SGD",
        old="perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)",
        new="perform_one_update(model, inputs, targets, w, b, lr)",
        visible=True,
    ),
    Mutant(
        "sgd_lr_not_passed_on",
        grade_id="train_with_SGD",
        old="perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)",
        new="perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b)",
        visible=True,
    ),
    Mutant(
        "sgd_losses_averaged_over_samples",
        grade_id="train_with_SGD",
        old=_SGD_LOOP + "        losses.append(evaluate_loss(model, inputs, targets))\n",
        new="        sample_losses = [perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
        "                         for i in order]\n"
        "        losses.append(sum(sample_losses) / n)\n",
        visible=True,
    ),
    # ---------------------------------------------------------------- Exercise 4: train_with_minibatchSGD
    Mutant(
        "mb_one_epoch_short",
        grade_id="train_with_minibatchSGD",
        old="range(epochs)",
        new="range(epochs - 1)",
        visible=True,
    ),
    Mutant(
        "mb_last_partial_batch_dropped",
        grade_id="train_with_minibatchSGD",
        old="range(0, n, batch_size)",
        new="range(0, n - batch_size + 1, batch_size)",
        visible=True,
    ),
    Mutant(
        "mb_overlapping_batches",
        grade_id="train_with_minibatchSGD",
        old="range(0, n, batch_size)",
        new="range(0, n - batch_size + 1)",
        visible=True,
    ),
    Mutant(
        "mb_no_shuffle",
        grade_id="train_with_minibatchSGD",
        old="torch.randperm(n, device=inputs.device)",
        new="torch.arange(n, device=inputs.device)",
        visible=True,
    ),
    Mutant(
        "mb_shuffled_once",
        grade_id="train_with_minibatchSGD",
        old="    for epoch in range(epochs):\n" + _MB_PERM,
        new="    perm = torch.randperm(n, device=inputs.device)\n    for epoch in range(epochs):\n",
        visible=True,
    ),
    Mutant(
        "mb_sampling_with_replacement",
        grade_id="train_with_minibatchSGD",
        old="torch.randperm(n, device=inputs.device)",
        new="torch.randint(n, (n,), device=inputs.device)",
        visible=True,
    ),
    Mutant(
        "mb_inputs_shuffled_without_targets",
        grade_id="train_with_minibatchSGD",
        old="inputs[idx], targets[idx]",
        new="inputs[idx], targets[start:start + batch_size]",
        hint="shuffled without their targets",
        visible=True,
    ),
    Mutant(
        "mb_chunk_count_floor_division",
        grade_id="train_with_minibatchSGD",
        old="        for start in range(0, n, batch_size):\n"
        "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n",
        new="        for idx in torch.chunk(perm, n // batch_size):\n",
        visible=True,
    ),
    Mutant(
        "mb_batch_size_hard_coded",
        grade_id="train_with_minibatchSGD",
        old="        for start in range(0, n, batch_size):\n            idx = perm[start:start + batch_size]",
        new="        for start in range(0, n, 4):\n            idx = perm[start:start + 4]",
        visible=True,
    ),
    Mutant(
        "mb_caller_data_shuffled_in_place",
        grade_id="train_with_minibatchSGD",
        old=_MB_PERM,
        new=_MB_PERM + "        inputs[:] = inputs[perm]\n        targets[:] = targets[perm]\n"
        "        perm = torch.arange(n, device=inputs.device)\n",
        visible=True,
    ),
    # ---------------------------------------------------------------- Exercise 5: optimizers
    Mutant(
        "sgd_step_wrong_sign",
        grade_id="optimizers",
        old="p -= self.lr * p.grad",
        new="p += self.lr * p.grad",
        visible=True,
    ),
    Mutant(
        "sgd_step_lr_ignored",
        grade_id="optimizers",
        old="p -= self.lr * p.grad",
        new="p -= 1e-5 * p.grad",
        visible=True,
    ),
    Mutant(
        "sgd_step_rebinds",
        grade_id="optimizers",
        old="p -= self.lr * p.grad",
        new="p = p - self.lr * p.grad",
        visible=True,
    ),
    Mutant(
        "sgd_step_outside_no_grad",
        grade_id="optimizers",
        old="        with torch.no_grad():\n            for p in self.params:\n"
        "                if p.grad is not None:\n"
        "                    p -= self.lr * p.grad\n",
        new="        for p in self.params:\n            if p.grad is not None:\n"
        "                p -= self.lr * p.grad\n",
        visible=True,
    ),
    Mutant(
        "zero_grad_does_nothing",
        grade_id="optimizers",
        old="                p.grad.zero_()",
        new="                pass",
        visible=True,
    ),
    Mutant(
        "params_iterable_not_stored_as_list",
        grade_id="optimizers",
        old="self.params = list(params)",
        new="self.params = params",
        visible=True,
    ),
    Mutant(
        "velocity_not_kept",
        grade_id="optimizers",
        old="                    self.velocity[i].mul_(self.momentum).add_(g)\n",
        new="                    self.velocity[i] = g.clone()\n",
        hint="velocity",
        visible=True,
    ),
    Mutant(
        "velocity_shared_between_instances",
        grade_id="optimizers",
        old=_MOMENTUM_HEAD
        + "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n",
        new="class OptimMomentum(OptimSGD):\n"
        '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
        "\n"
        "    velocity = [None, None]  # class attribute: one list shared by every instance\n"
        "\n"
        "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
        "        ### BEGIN SOLUTION\n"
        "        super().__init__(params, lr)\n"
        "        self.momentum = momentum\n",
        visible=True,
    ),
    Mutant(
        "momentum_applied_to_gradient",
        grade_id="optimizers",
        old=".mul_(self.momentum).add_(g)",
        new=".add_(self.momentum * g)",
        visible=True,
    ),
    Mutant(
        "velocity_aliased_to_grad",
        grade_id="optimizers",
        old="self.velocity[i] = g.clone()",
        new="self.velocity[i] = g",
        visible=True,
    ),
    Mutant(
        "momentum_step_one_velocity_late",
        grade_id="optimizers",
        old=_MOMENTUM_STEP,
        new="                if self.velocity[i] is None:\n"
        "                    self.velocity[i] = torch.zeros_like(p)\n"
        "                p -= self.lr * self.velocity[i]\n"
        "                self.velocity[i].mul_(self.momentum).add_(g)\n",
        visible=True,
    ),
    Mutant("momentum_hard_coded", grade_id="optimizers", old=".mul_(self.momentum)", new=".mul_(0.9)", visible=True),
    Mutant(
        "ema_velocity_without_rescaling",
        grade_id="optimizers",
        old="self.velocity[i].mul_(self.momentum).add_(g)",
        new="self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)",
        visible=True,
    ),
    Mutant(
        "ema_velocity_started_at_g",
        grade_id="optimizers",
        old=_MOMENTUM_STEP,
        new="                if self.velocity[i] is None:\n"
        "                    self.velocity[i] = g.clone()\n"
        "                else:\n"
        "                    self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)\n"
        "                p -= self.lr / (1 - self.momentum) * self.velocity[i]\n",
        visible=True,
    ),
    Mutant(
        "nesterov_as_plain_momentum",
        grade_id="optimizers",
        old="p -= self.lr * (g + self.momentum * self.velocity[i])",
        new="p -= self.lr * self.velocity[i]",
        hint="Nesterov",
        visible=True,
    ),
    Mutant(
        "nesterov_wrong_sign",
        grade_id="optimizers",
        old="(g + self.momentum * self.velocity[i])",
        new="(g - self.momentum * self.velocity[i])",
        visible=True,
    ),
    Mutant(
        "nesterov_velocity_instead_of_gradient",
        grade_id="optimizers",
        old="(g + self.momentum * self.velocity[i])",
        new="(self.velocity[i] + self.momentum * self.velocity[i])",
        visible=True,
    ),
    Mutant(
        "nesterov_uses_previous_velocity",
        grade_id="optimizers",
        old=_NESTEROV_STEP,
        new="                if self.velocity[i] is None:\n"
        "                    self.velocity[i] = torch.zeros_like(p)\n"
        "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
        "                self.velocity[i].mul_(self.momentum).add_(g)\n",
        visible=True,
    ),
]

VARIANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_model
    Variant(
        "f_linear", grade_id="linear_model", old="inputs @ w.t() + b", new="torch.nn.functional.linear(inputs, w, b)"
    ),
    Variant("matmul_capital_T", grade_id="linear_model", old="inputs @ w.t() + b", new="torch.matmul(inputs, w.T) + b"),
    Variant(
        "einsum", grade_id="linear_model", old="inputs @ w.t() + b", new='torch.einsum("nd,kd->nk", inputs, w) + b'
    ),
    Variant("addmm", grade_id="linear_model", old="inputs @ w.t() + b", new="torch.addmm(b, inputs, w.t())"),
    Variant("mm_then_add", grade_id="linear_model", old="inputs @ w.t() + b", new="inputs.mm(w.t()).add(b)"),
    Variant(
        "swapped_then_transposed", grade_id="linear_model", old="inputs @ w.t() + b", new="(w @ inputs.t()).t() + b"
    ),
    Variant(
        "broadcast_multiply_sum",
        grade_id="linear_model",
        old="inputs @ w.t() + b",
        new="(inputs[:, None, :] * w[None, :, :]).sum(dim=-1) + b",
    ),
    Variant(
        "lambda_closure",
        grade_id="linear_model",
        old="    def model(inputs):\n        return inputs @ w.t() + b\n\n    return model",
        new="    return lambda inputs: inputs @ w.t() + b",
    ),
    # ---------------------------------------------------------------- Exercise 2: mse
    Variant(
        "f_mse_loss",
        grade_id="mse",
        old="    diff = preds - targets\n    return (diff ** 2).mean()",
        new="    return torch.nn.functional.mse_loss(preds, targets)",
    ),
    Variant(
        "nn_MSELoss",
        grade_id="mse",
        old="    diff = preds - targets\n    return (diff ** 2).mean()",
        new="    return torch.nn.MSELoss()(preds, targets)",
    ),
    Variant("pow_sum_over_numel", grade_id="mse", old="(diff ** 2).mean()", new="diff.pow(2).sum() / diff.numel()"),
    Variant("targets_minus_preds", grade_id="mse", old="preds - targets", new="targets - preds"),
    Variant("mean_of_row_means", grade_id="mse", old="(diff ** 2).mean()", new="(diff ** 2).mean(dim=1).mean()"),
    Variant("torch_square", grade_id="mse", old="(diff ** 2).mean()", new="torch.mean(torch.square(diff))"),
    Variant(
        "diff_times_diff", grade_id="mse", old="(diff ** 2).mean()", new="(diff * diff).sum() / len(diff.flatten())"
    ),
    # ---------------------------------------------------------------- Exercise 3: perform_one_update
    Variant(
        "sub_and_grad_none",
        grade_id="perform_one_update",
        old="    with torch.no_grad():\n" + _GD_STEP + _GD_ZERO,
        new="    with torch.no_grad():\n        w.sub_(lr * w.grad)\n        b.sub_(lr * b.grad)\n"
        "    w.grad = None\n    b.grad = None\n",
    ),
    Variant(
        "data_updates",
        grade_id="perform_one_update",
        old="    with torch.no_grad():\n" + _GD_STEP + _GD_ZERO,
        new="    w.data -= lr * w.grad.data\n    b.data -= lr * b.grad.data\n"
        "    w.grad.data.zero_()\n    b.grad.data.zero_()\n",
    ),
    Variant(
        "zero_before_backward",
        grade_id="perform_one_update",
        old="    loss = mse(model(inputs), targets)\n    loss.backward()\n    with torch.no_grad():\n"
        + _GD_STEP
        + _GD_ZERO,
        new="    for p in (w, b):\n        if p.grad is not None:  # None on the very first call\n"
        "            p.grad.zero_()\n"
        "    loss = mse(model(inputs), targets)\n    loss.backward()\n    with torch.no_grad():\n" + _GD_STEP,
    ),
    Variant(
        "autograd_grad",
        grade_id="perform_one_update",
        old="    loss.backward()\n    with torch.no_grad():\n" + _GD_STEP + _GD_ZERO,
        new="    grad_w, grad_b = torch.autograd.grad(loss, [w, b])\n    with torch.no_grad():\n"
        "        w -= lr * grad_w\n        b -= lr * grad_b\n",
    ),
    Variant(
        "loop_over_parameters",
        grade_id="perform_one_update",
        old=_GD_STEP + _GD_ZERO,
        new="        for p in (w, b):\n            p -= lr * p.grad\n            p.grad.zero_()\n",
    ),
    # ---------------------------------------------------------------- Exercise 4: training loops
    Variant(
        "gd_inline_loss",
        grade_id="train_with_GD",
        old="losses.append(evaluate_loss(model, inputs, targets))",
        new="losses.append(mse(model(inputs), targets).item())",
    ),
    Variant(
        "sgd_dataloader",
        grade_id="train_with_SGD",
        old=_SGD_ORDER + _SGD_LOOP,
        new="        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets),\n"
        "                                             batch_size=1, shuffle=True)\n"
        "        for xb, yb in loader:\n"
        "            perform_one_update(model, xb, yb, w, b, lr)\n",
    ),
    Variant(
        "sgd_numpy_permutation",
        grade_id="train_with_SGD",
        old="torch.randperm(n).tolist()",
        new="np.random.permutation(n).tolist()",
    ),
    Variant(
        "sgd_random_shuffle",
        grade_id="train_with_SGD",
        old=_SGD_ORDER,
        new="        order = list(range(n))\n        random.shuffle(order)\n",
    ),
    Variant(
        "sgd_shuffled_copies",
        grade_id="train_with_SGD",
        old=_SGD_ORDER + _SGD_LOOP,
        new="        perm = torch.randperm(n)\n        xs, ys = inputs[perm], targets[perm]\n"
        "        for i in range(n):\n"
        "            perform_one_update(model, xs[i:i + 1], ys[i:i + 1], w, b, lr)\n",
    ),
    Variant(
        "mb_torch_split",
        grade_id="train_with_minibatchSGD",
        old="        for start in range(0, n, batch_size):\n"
        "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n",
        new="        for idx in torch.split(perm, batch_size):\n",
    ),
    Variant(
        "mb_dataloader",
        grade_id="train_with_minibatchSGD",
        old=_MB_PERM + _MB_LOOP,
        new="        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets),\n"
        "                                             batch_size=batch_size, shuffle=True)\n"
        "        for xb, yb in loader:\n"
        "            perform_one_update(model, xb, yb, w, b, lr)\n",
    ),
    Variant(
        "mb_index_select",
        grade_id="train_with_minibatchSGD",
        old="inputs[idx], targets[idx]",
        new="inputs.index_select(0, idx), targets.index_select(0, idx)",
    ),
    Variant(
        "mb_numpy_permutation",
        grade_id="train_with_minibatchSGD",
        old="torch.randperm(n, device=inputs.device)",
        new="torch.as_tensor(np.random.permutation(n), device=inputs.device)",
    ),
    # ---------------------------------------------------------------- Exercise 5: optimizers
    Variant(
        "momentum_sutskever_sign",
        grade_id="optimizers",
        old=_MOMENTUM_STEP,
        new="                if self.velocity[i] is None:\n"
        "                    self.velocity[i] = torch.zeros_like(p)\n"
        "                self.velocity[i].mul_(self.momentum).sub_(self.lr * g)  # v = mu v - lr g\n"
        "                p += self.velocity[i]\n",
    ),
    Variant(
        "momentum_ema_rescaled",
        grade_id="optimizers",
        old=_MOMENTUM_STEP,
        new="                if self.velocity[i] is None:\n"
        "                    self.velocity[i] = torch.zeros_like(p)  # EMA from zero\n"
        "                self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)\n"
        "                p -= self.lr / (1 - self.momentum) * self.velocity[i]\n",
    ),
    Variant(
        "velocity_starts_at_zero",
        grade_id="optimizers",
        old=_VELOCITY_UPDATE,
        new="                if self.velocity[i] is None:\n"
        "                    self.velocity[i] = torch.zeros_like(p)\n"
        "                self.velocity[i].mul_(self.momentum).add_(g)\n",
    ),
    Variant(
        "nesterov_cs231n",
        grade_id="optimizers",
        old=_NESTEROV_STEP,
        new="                if self.velocity[i] is None:\n"
        "                    self.velocity[i] = torch.zeros_like(p)\n"
        "                v_prev = self.velocity[i].clone()\n"
        "                self.velocity[i].mul_(self.momentum).sub_(self.lr * g)  # v = mu v - lr g\n"
        "                p += -self.momentum * v_prev + (1 + self.momentum) * self.velocity[i]\n",
    ),
    Variant(
        "zero_grad_sets_none",
        grade_id="optimizers",
        old="            if p.grad is not None:\n                p.grad.zero_()",
        new="            p.grad = None",
    ),
    Variant(
        "sgd_data_add", grade_id="optimizers", old="p -= self.lr * p.grad", new="p.data.add_(p.grad, alpha=-self.lr)"
    ),
]
