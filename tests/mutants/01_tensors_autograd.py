"""Known-wrong answers (mutants) and unusual right answers (variants) for 01_tensors_autograd.

Each entry changes exactly one solution cell of source/01_tensors_autograd/01_tensors_autograd.ipynb.
Hints used here (phrases the hidden feedback should contain for these classic mistakes):
"dim" (wrong dimension in cat/stack/reductions), "Long" (integer data not converted), "share" (a copy
where memory should be shared), "detach" (.numpy() on a tensor that requires grad), "modif" (the
caller's argument is modified), "requires_grad" (a result that still requires grad), "zero" (gradients
not zeroed between steps), "no_grad" (update recorded by autograd), "central" (one-sided difference),
"one element at a time" (all elements perturbed at once).
"""

from autograder.mutation import Mutant, Variant

MUTANTS = [
    # ---- Exercise 1: stack_features -------------------------------------------------------------
    Mutant(
        "cat_wrong_dim",
        grade_id="stack_features",
        old="torch.cat(columns, dim=1)",
        new="torch.cat(columns, dim=0)",
        hint="dim",
        visible=True,
    ),
    Mutant(
        "cat_then_reshape",
        grade_id="stack_features",
        old="    columns = [feature.reshape(-1, 1) for feature in (temperature, rainfall, humidity)]\n"
        "    return torch.cat(columns, dim=1)",
        new="    return torch.cat([temperature, rainfall, humidity]).reshape(-1, 3)",
        visible=True,
    ),
    Mutant(
        "stack_as_rows",
        grade_id="stack_features",
        old="    columns = [feature.reshape(-1, 1) for feature in (temperature, rainfall, humidity)]\n"
        "    return torch.cat(columns, dim=1)",
        new="    return torch.stack([temperature, rainfall, humidity])",
        hint="dim",
        visible=True,
    ),
    Mutant(
        "converts_to_float32",
        grade_id="stack_features",
        old="torch.cat(columns, dim=1)",
        new="torch.cat(columns, dim=1).float()",
        visible=True,
    ),
    # ---- Exercise 2: standardize_columns ---------------------------------------------------------
    Mutant(
        "long_not_converted",
        grade_id="standardize_columns",
        old="    if not x.is_floating_point():\n        x = x.float()\n",
        new="",
        hint="Long",
        visible=True,
    ),
    Mutant(
        "always_float32",
        grade_id="standardize_columns",
        old="    if not x.is_floating_point():\n        x = x.float()",
        new="    x = x.float()",
        visible=True,
    ),
    Mutant("stats_over_rows", grade_id="standardize_columns", old="dim=0", new="dim=1", hint="dim", visible=True),
    Mutant("sample_std", grade_id="standardize_columns", old="correction=0", new="correction=1", visible=True),
    Mutant(
        "modifies_x_in_place",
        grade_id="standardize_columns",
        code=(
            "def standardize_columns(x):\n"
            "    if not x.is_floating_point():\n"
            "        x = x.float()\n"
            "    x -= x.mean(dim=0, keepdim=True)\n"
            "    x /= x.std(dim=0, correction=0, keepdim=True)\n"
            "    return x\n"
        ),
        hint="modif",
        visible=True,
    ),
    Mutant(
        "global_statistics",
        grade_id="standardize_columns",
        code=(
            "def standardize_columns(x):\n"
            "    if not x.is_floating_point():\n"
            "        x = x.float()\n"
            "    return (x - x.mean()) / x.std(correction=0)\n"
        ),
        visible=True,
    ),
    # ---- Exercise 3: to_tensor_shared / to_numpy -------------------------------------------------
    Mutant(
        "tensor_copies",
        grade_id="numpy_interop",
        old="torch.from_numpy(array)",
        new="torch.tensor(array)",
        hint="share",
        visible=True,
    ),
    Mutant(
        "Tensor_constructor",
        grade_id="numpy_interop",
        old="torch.from_numpy(array)",
        new="torch.Tensor(array)",
        hint="share",
        visible=True,
    ),
    Mutant(
        "from_numpy_then_float",
        grade_id="numpy_interop",
        old="torch.from_numpy(array)",
        new="torch.from_numpy(array).float()",
        visible=True,
    ),
    Mutant(
        "numpy_without_detach",
        grade_id="numpy_interop",
        old="t.detach().cpu().numpy()",
        new="t.cpu().numpy()",
        hint="detach",
        visible=True,
    ),
    Mutant(
        "switches_off_requires_grad",
        grade_id="numpy_interop",
        old="t.detach()",
        new="t.requires_grad_(False)",
        hint="modif",
        visible=True,
    ),
    Mutant(
        "via_tolist", grade_id="numpy_interop", old="t.detach().cpu().numpy()", new="np.array(t.tolist())", visible=True
    ),
    # ---- Exercise 4: grad_of ---------------------------------------------------------------------
    Mutant(
        "grad_on_callers_x",
        grade_id="grad_of",
        old="x = x.detach().clone().requires_grad_(True)",
        new="x = x.requires_grad_(True)",
        hint="modif",
        visible=True,
    ),
    Mutant(
        "clone_without_detach",
        grade_id="grad_of",
        old="x = x.detach().clone().requires_grad_(True)",
        new="x = x.clone().requires_grad_(True)",
        hint="detach",
        visible=True,
    ),
    Mutant(
        "float32_copy",
        grade_id="grad_of",
        old="x = x.detach().clone().requires_grad_(True)",
        new="x = x.detach().clone().float().requires_grad_(True)",
        visible=True,
    ),
    Mutant(
        "returns_graph_gradient",
        grade_id="grad_of",
        code=(
            "def grad_of(f, x):\n"
            "    x = x.detach().clone().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return torch.zeros_like(x)\n"
            "    (g,) = torch.autograd.grad(y, x, create_graph=True, allow_unused=True)\n"
            "    return torch.zeros_like(x) if g is None else g\n"
        ),
        hint="requires_grad",
        visible=True,
    ),
    Mutant(
        "no_guard_for_constant_f",
        grade_id="grad_of",
        old="    if not y.requires_grad:\n        return torch.zeros_like(x)\n",
        new="",
        visible=True,
    ),
    Mutant(
        "returns_none_without_path",
        grade_id="grad_of",
        old="return torch.zeros_like(x)",
        new="return x.grad",
        visible=True,
    ),
    # ---- Exercise 5: gradient_descent ------------------------------------------------------------
    Mutant(
        "grad_not_zeroed",
        grade_id="gradient_descent",
        old="        x.grad.zero_()\n",
        new="",
        hint="zero",
        visible=True,
    ),
    Mutant(
        "update_outside_no_grad",
        grade_id="gradient_descent",
        old="        with torch.no_grad():\n            x -= lr * x.grad\n",
        new="        x -= lr * x.grad\n",
        hint="no_grad",
        visible=True,
    ),
    Mutant(
        "rebinding_update",
        grade_id="gradient_descent",
        old="        with torch.no_grad():\n            x -= lr * x.grad\n",
        new="        x = x - lr * x.grad\n",
        hint="no_grad",
        visible=True,
    ),
    Mutant(
        "updates_callers_x0",
        grade_id="gradient_descent",
        old="x = x0.detach().clone().requires_grad_(True)",
        new="x = x0.requires_grad_(True)",
        hint="modif",
        visible=True,
    ),
    Mutant(
        "descent_clone_without_detach",
        grade_id="gradient_descent",
        old="x = x0.detach().clone().requires_grad_(True)",
        new="x = x0.clone().requires_grad_(True)",
        hint="detach",
        visible=True,
    ),
    Mutant(
        "gradient_ascent", grade_id="gradient_descent", old="x -= lr * x.grad", new="x += lr * x.grad", visible=True
    ),
    Mutant(
        "returns_requires_grad",
        grade_id="gradient_descent",
        old="return x.detach()",
        new="return x",
        hint="requires_grad",
        visible=True,
    ),
    Mutant("one_step_short", grade_id="gradient_descent", old="range(steps)", new="range(steps - 1)", visible=True),
    # ---- Exercise 6: numerical_gradient / gradient_check -----------------------------------------
    Mutant(
        "one_sided_difference",
        grade_id="numerical_gradient",
        old="(f(x_plus) - f(x_minus)) / (2 * eps)",
        new="(f(x_plus) - f(x)) / eps",
        hint="central",
        visible=True,
    ),
    Mutant("divides_by_eps", grade_id="numerical_gradient", old="/ (2 * eps)", new="/ eps", visible=True),
    Mutant(
        "all_elements_at_once",
        grade_id="numerical_gradient",
        old="step = torch.zeros_like(flat)\n            step[i] = eps",
        new="step = torch.full_like(flat, eps)",
        hint="one element at a time",
        visible=True,
    ),
    Mutant(
        "all_at_once_scalar",
        grade_id="numerical_gradient",
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    x = x.detach()\n"
            "    with torch.no_grad():\n"
            "        return (f(x + eps) - f(x - eps)) / (2 * eps)\n"
        ),
        hint="one element at a time",
        visible=True,
    ),
    Mutant(
        "flat_result",
        grade_id="numerical_gradient",
        old="return grad.reshape(x.shape)",
        new="return grad",
        visible=True,
    ),
    Mutant(
        "float32_buffer",
        grade_id="numerical_gradient",
        old="grad = torch.zeros_like(flat)",
        new="grad = torch.zeros(flat.numel())",
        visible=True,
    ),
    Mutant(
        "perturbs_callers_x",
        grade_id="numerical_gradient",
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    flat = x.detach().view(-1)\n"
            "    grad = torch.zeros_like(flat)\n"
            "    with torch.no_grad():\n"
            "        for i in range(flat.numel()):\n"
            "            flat[i] += eps\n"
            "            f_plus = f(x)\n"
            "            flat[i] -= 2 * eps\n"
            "            f_minus = f(x)\n"
            "            grad[i] = (f_plus - f_minus) / (2 * eps)\n"
            "    return grad.reshape(x.shape)\n"
        ),
        hint="modif",
        visible=True,
    ),
    Mutant(
        "restores_x_by_arithmetic",
        grade_id="numerical_gradient",
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    flat = x.detach().view(-1)\n"
            "    grad = torch.zeros_like(flat)\n"
            "    with torch.no_grad():\n"
            "        for i in range(flat.numel()):\n"
            "            flat[i] += eps\n"
            "            f_plus = f(x)\n"
            "            flat[i] -= 2 * eps\n"
            "            f_minus = f(x)\n"
            "            flat[i] += eps\n"
            "            grad[i] = (f_plus - f_minus) / (2 * eps)\n"
            "    return grad.reshape(x.shape)\n"
        ),
        hint="modif",
        visible=True,
    ),
    Mutant(
        "result_requires_grad",
        grade_id="numerical_gradient",
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    flat = x.reshape(-1)\n"
            "    grad = torch.zeros_like(flat)\n"
            "    for i in range(flat.numel()):\n"
            "        step = torch.zeros_like(flat)\n"
            "        step[i] = eps\n"
            "        x_plus = (flat + step).reshape(x.shape)\n"
            "        x_minus = (flat - step).reshape(x.shape)\n"
            "        grad[i] = (f(x_plus) - f(x_minus)) / (2 * eps)\n"
            "    return grad.reshape(x.shape)\n"
        ),
        hint="requires_grad",
        visible=True,
    ),
    Mutant("absolute_error", grade_id="gradient_check", old="/ scale)", new=")", visible=True),
    Mutant(
        "returns_tensor",
        grade_id="gradient_check",
        old="return float((analytic - numeric).abs().max() / scale)",
        new="return (analytic - numeric).abs().max() / scale",
        visible=True,
    ),
    Mutant(
        "check_grad_on_callers_x",
        grade_id="gradient_check",
        old="x_leaf = x.detach().clone().requires_grad_(True)",
        new="x_leaf = x.requires_grad_(True)",
        hint="modif",
        visible=True,
    ),
    Mutant(
        "ignores_eps",
        grade_id="gradient_check",
        old="numerical_gradient(f, x, eps)",
        new="numerical_gradient(f, x)",
        visible=True,
    ),
    Mutant(
        "scale_by_analytic_only",
        grade_id="gradient_check",
        old="torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)",
        new="analytic.abs().max()",
        visible=True,
    ),
    Mutant(
        "elementwise_relative_error",
        grade_id="gradient_check",
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            "    numeric = numerical_gradient(f, x, eps)\n"
            "    x_leaf = x.detach().clone().requires_grad_(True)\n"
            "    f(x_leaf).backward()\n"
            "    analytic = x_leaf.grad\n"
            "    denominator = (analytic.abs() + numeric.abs()).clamp_min(1e-12)\n"
            "    return float(((analytic - numeric).abs() / denominator).max())\n"
        ),
        visible=True,
    ),
]

VARIANTS = [
    # ---- Exercise 1 ----
    Variant(
        "stack_along_dim1",
        grade_id="stack_features",
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            "    return torch.stack([temperature, rainfall, humidity], dim=1)\n"
        ),
    ),
    Variant(
        "cat_reshape_transpose",
        grade_id="stack_features",
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            "    return torch.cat([temperature, rainfall, humidity]).reshape(3, -1).T\n"
        ),
    ),
    Variant(
        "column_stack",
        grade_id="stack_features",
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            "    return torch.column_stack((temperature, rainfall, humidity))\n"
        ),
    ),
    Variant("unsqueeze_columns", grade_id="stack_features", old="feature.reshape(-1, 1)", new="feature.unsqueeze(-1)"),
    # ---- Exercise 2 ----
    Variant(
        "std_mean",
        grade_id="standardize_columns",
        code=(
            "def standardize_columns(x):\n"
            "    if x.dtype in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8):\n"
            "        x = x.to(torch.float32)\n"
            "    std, mean = torch.std_mean(x, dim=0, correction=0)\n"
            "    return (x - mean) / std\n"
        ),
    ),
    Variant(
        "explicit_formula",
        grade_id="standardize_columns",
        code=(
            "def standardize_columns(x):\n"
            "    x = x if torch.is_floating_point(x) else x.to(torch.float32)\n"
            "    n = x.shape[0]\n"
            "    mu = x.sum(dim=0) / n\n"
            "    centred = x - mu\n"
            "    sigma = torch.sqrt((centred * centred).sum(dim=0) / n)\n"
            "    return centred / sigma\n"
        ),
    ),
    # ---- Exercise 3 ----
    Variant("as_tensor", grade_id="numpy_interop", old="torch.from_numpy(array)", new="torch.as_tensor(array)"),
    Variant("asarray", grade_id="numpy_interop", old="torch.from_numpy(array)", new="torch.asarray(array)"),
    Variant(
        "cpu_then_detach", grade_id="numpy_interop", old="t.detach().cpu().numpy()", new="t.cpu().detach().numpy()"
    ),
    Variant(
        "np_asarray_of_detached",
        grade_id="numpy_interop",
        old="t.detach().cpu().numpy()",
        new="np.asarray(t.detach().cpu())",
    ),
    Variant("numpy_force", grade_id="numpy_interop", old="t.detach().cpu().numpy()", new="t.numpy(force=True)"),
    # ---- Exercise 4 ----
    Variant(
        "autograd_grad",
        grade_id="grad_of",
        code=(
            "def grad_of(f, x):\n"
            "    x = x.detach().clone().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return torch.zeros_like(x)\n"
            "    (g,) = torch.autograd.grad(y, x, allow_unused=True)\n"
            "    return torch.zeros_like(x) if g is None else g\n"
        ),
    ),
    Variant(
        "detach_without_clone",
        grade_id="grad_of",
        old="x.detach().clone().requires_grad_(True)",
        new="x.detach().requires_grad_(True)",
    ),
    Variant("grad_fn_test", grade_id="grad_of", old="if not y.requires_grad:", new="if y.grad_fn is None:"),
    # ---- Exercise 5 ----
    Variant(
        "optim_sgd",
        grade_id="gradient_descent",
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    optimizer = torch.optim.SGD([x], lr=lr)\n"
            "    for _ in range(steps):\n"
            "        optimizer.zero_grad()\n"
            "        f(x).backward()\n"
            "        optimizer.step()\n"
            "    return x.detach()\n"
        ),
    ),
    Variant("grad_set_to_none", grade_id="gradient_descent", old="x.grad.zero_()", new="x.grad = None"),
    Variant(
        "functional_autograd_grad",
        grade_id="gradient_descent",
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            "    x = x0.detach().clone()\n"
            "    for _ in range(steps):\n"
            "        x.requires_grad_(True)\n"
            "        (g,) = torch.autograd.grad(f(x), x)\n"
            "        x = (x - lr * g).detach()\n"
            "    return x\n"
        ),
    ),
    # ---- Exercise 6 ----
    Variant(
        "identity_basis",
        grade_id="numerical_gradient",
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    base = x.detach().reshape(-1)\n"
            "    steps = eps * torch.eye(base.numel(), dtype=x.dtype, device=x.device)\n"
            "    with torch.no_grad():\n"
            "        values = [(f((base + e).reshape(x.shape)) - f((base - e).reshape(x.shape))) / (2 * eps)\n"
            "                  for e in steps]\n"
            "    return torch.stack(values).reshape(x.shape).to(x.dtype)\n"
        ),
    ),
    Variant(
        "perturb_private_clone",
        grade_id="numerical_gradient",
        code=(
            "import itertools\n"
            "\n"
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    work = x.detach().clone()\n"
            "    grad = torch.empty_like(work)\n"
            "    with torch.no_grad():\n"
            "        for idx in itertools.product(*(range(n) for n in work.shape)):\n"
            "            saved = work[idx].item()\n"
            "            work[idx] = saved + eps\n"
            "            f_plus = f(work).item()\n"
            "            work[idx] = saved - eps\n"
            "            f_minus = f(work).item()\n"
            "            work[idx] = saved\n"
            "            grad[idx] = (f_plus - f_minus) / (2 * eps)\n"
            "    return grad\n"
        ),
    ),
    Variant(
        "autograd_grad_and_item",
        grade_id="gradient_check",
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            "    numeric = numerical_gradient(f, x, eps=eps)\n"
            "    x_leaf = x.detach().clone().requires_grad_()\n"
            "    (analytic,) = torch.autograd.grad(f(x_leaf), x_leaf)\n"
            "    worst = (analytic - numeric).abs().max().item()\n"
            "    return worst / max(analytic.abs().max().item(), numeric.abs().max().item(), 1e-12)\n"
        ),
    ),
]
