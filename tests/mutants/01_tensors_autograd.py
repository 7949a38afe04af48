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
    # ---------------------------------------------------------------- Exercise 1: stack_features
    Mutant(
        "cat_wrong_dim",
        grade_id="stack_features",
        hint="dim",
        visible=True,
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            '    """Return the (N, 3) matrix whose columns are the three (N,) feature vectors."""\n'
            "    ### BEGIN SOLUTION\n"
            "    columns = [feature.reshape(-1, 1) for feature in (temperature, rainfall, humidity)]\n"
            "    return torch.cat(columns, dim=0)\n"
        ),
    ),
    Mutant(
        "cat_then_reshape",
        grade_id="stack_features",
        visible=True,
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            '    """Return the (N, 3) matrix whose columns are the three (N,) feature vectors."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.cat([temperature, rainfall, humidity]).reshape(-1, 3)\n"
        ),
    ),
    Mutant(
        "stack_as_rows",
        grade_id="stack_features",
        hint="dim",
        visible=True,
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            '    """Return the (N, 3) matrix whose columns are the three (N,) feature vectors."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.stack([temperature, rainfall, humidity])\n"
        ),
    ),
    Mutant(
        "converts_to_float32",
        grade_id="stack_features",
        visible=True,
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            '    """Return the (N, 3) matrix whose columns are the three (N,) feature vectors."""\n'
            "    ### BEGIN SOLUTION\n"
            "    columns = [feature.reshape(-1, 1) for feature in (temperature, rainfall, humidity)]\n"
            "    return torch.cat(columns, dim=1).float()\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 2: standardize_columns
    Mutant(
        "long_not_converted",
        grade_id="standardize_columns",
        hint="Long",
        visible=True,
        code=(
            "def standardize_columns(x):\n"
            '    """Return (x - column mean) / column population std, with the shape (N, D) of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    mean = x.mean(dim=0, keepdim=True)\n"
            "    std = x.std(dim=0, correction=0, keepdim=True)\n"
            "    return (x - mean) / std\n"
        ),
    ),
    Mutant(
        "always_float32",
        grade_id="standardize_columns",
        visible=True,
        code=(
            "def standardize_columns(x):\n"
            '    """Return (x - column mean) / column population std, with the shape (N, D) of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.float()\n"
            "    mean = x.mean(dim=0, keepdim=True)\n"
            "    std = x.std(dim=0, correction=0, keepdim=True)\n"
            "    return (x - mean) / std\n"
        ),
    ),
    Mutant(
        "stats_over_rows",
        grade_id="standardize_columns",
        hint="dim",
        visible=True,
        code=(
            "def standardize_columns(x):\n"
            '    """Return (x - column mean) / column population std, with the shape (N, D) of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    if not x.is_floating_point():\n"
            "        x = x.float()\n"
            "    mean = x.mean(dim=1, keepdim=True)\n"
            "    std = x.std(dim=1, correction=0, keepdim=True)\n"
            "    return (x - mean) / std\n"
        ),
    ),
    Mutant(
        "sample_std",
        grade_id="standardize_columns",
        visible=True,
        code=(
            "def standardize_columns(x):\n"
            '    """Return (x - column mean) / column population std, with the shape (N, D) of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    if not x.is_floating_point():\n"
            "        x = x.float()\n"
            "    mean = x.mean(dim=0, keepdim=True)\n"
            "    std = x.std(dim=0, correction=1, keepdim=True)\n"
            "    return (x - mean) / std\n"
        ),
    ),
    Mutant(
        "modifies_x_in_place",
        grade_id="standardize_columns",
        hint="modif",
        visible=True,
        code=(
            "def standardize_columns(x):\n"
            "    if not x.is_floating_point():\n"
            "        x = x.float()\n"
            "    x -= x.mean(dim=0, keepdim=True)\n"
            "    x /= x.std(dim=0, correction=0, keepdim=True)\n"
            "    return x\n"
        ),
    ),
    Mutant(
        "global_statistics",
        grade_id="standardize_columns",
        visible=True,
        code=(
            "def standardize_columns(x):\n"
            "    if not x.is_floating_point():\n"
            "        x = x.float()\n"
            "    return (x - x.mean()) / x.std(correction=0)\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 3: numpy_interop
    Mutant(
        "tensor_copies",
        grade_id="numpy_interop",
        hint="share",
        visible=True,
        code=(
            "def to_tensor_shared(array):\n"
            '    """Return a tensor that shares memory with the NumPy array `array`."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.tensor(array)\n"
        ),
    ),
    Mutant(
        "Tensor_constructor",
        grade_id="numpy_interop",
        hint="share",
        visible=True,
        code=(
            "def to_tensor_shared(array):\n"
            '    """Return a tensor that shares memory with the NumPy array `array`."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.Tensor(array)\n"
        ),
    ),
    Mutant(
        "from_numpy_then_float",
        grade_id="numpy_interop",
        visible=True,
        code=(
            "def to_tensor_shared(array):\n"
            '    """Return a tensor that shares memory with the NumPy array `array`."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.from_numpy(array).float()\n"
        ),
    ),
    Mutant(
        "numpy_without_detach",
        grade_id="numpy_interop",
        hint="detach",
        visible=True,
        code=(
            "def to_numpy(t):\n"
            '    """Return the values of tensor `t` as a NumPy array (t may require grad or live on a GPU)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return t.cpu().numpy()\n"
        ),
    ),
    Mutant(
        "switches_off_requires_grad",
        grade_id="numpy_interop",
        hint="modif",
        visible=True,
        code=(
            "def to_numpy(t):\n"
            '    """Return the values of tensor `t` as a NumPy array (t may require grad or live on a GPU)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return t.requires_grad_(False).cpu().numpy()\n"
        ),
    ),
    Mutant(
        "via_tolist",
        grade_id="numpy_interop",
        visible=True,
        code=(
            "def to_numpy(t):\n"
            '    """Return the values of tensor `t` as a NumPy array (t may require grad or live on a GPU)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return np.array(t.tolist())\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 4: grad_of
    Mutant(
        "grad_on_callers_x",
        grade_id="grad_of",
        hint="modif",
        visible=True,
        code=(
            "def grad_of(f, x):\n"
            '    """Gradient of the scalar function f at x, computed by autograd on a private copy of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return torch.zeros_like(x)\n"
            "    y.backward()\n"
            "    if x.grad is None:\n"
            "        return torch.zeros_like(x)\n"
            "    return x.grad\n"
        ),
    ),
    Mutant(
        "clone_without_detach",
        grade_id="grad_of",
        hint="detach",
        visible=True,
        code=(
            "def grad_of(f, x):\n"
            '    """Gradient of the scalar function f at x, computed by autograd on a private copy of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.clone().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return torch.zeros_like(x)\n"
            "    y.backward()\n"
            "    if x.grad is None:\n"
            "        return torch.zeros_like(x)\n"
            "    return x.grad\n"
        ),
    ),
    Mutant(
        "float32_copy",
        grade_id="grad_of",
        visible=True,
        code=(
            "def grad_of(f, x):\n"
            '    """Gradient of the scalar function f at x, computed by autograd on a private copy of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach().clone().float().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return torch.zeros_like(x)\n"
            "    y.backward()\n"
            "    if x.grad is None:\n"
            "        return torch.zeros_like(x)\n"
            "    return x.grad\n"
        ),
    ),
    Mutant(
        "returns_graph_gradient",
        grade_id="grad_of",
        hint="requires_grad",
        visible=True,
        code=(
            "def grad_of(f, x):\n"
            "    x = x.detach().clone().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return torch.zeros_like(x)\n"
            "    (g,) = torch.autograd.grad(y, x, create_graph=True, allow_unused=True)\n"
            "    return torch.zeros_like(x) if g is None else g\n"
        ),
    ),
    Mutant(
        "no_guard_for_constant_f",
        grade_id="grad_of",
        visible=True,
        code=(
            "def grad_of(f, x):\n"
            '    """Gradient of the scalar function f at x, computed by autograd on a private copy of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach().clone().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    y.backward()\n"
            "    if x.grad is None:\n"
            "        return torch.zeros_like(x)\n"
            "    return x.grad\n"
        ),
    ),
    Mutant(
        "returns_none_without_path",
        grade_id="grad_of",
        visible=True,
        code=(
            "def grad_of(f, x):\n"
            '    """Gradient of the scalar function f at x, computed by autograd on a private copy of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach().clone().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return x.grad\n"
            "    y.backward()\n"
            "    if x.grad is None:\n"
            "        return x.grad\n"
            "    return x.grad\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: gradient_descent
    Mutant(
        "grad_not_zeroed",
        grade_id="gradient_descent",
        hint="zero",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        with torch.no_grad():\n"
            "            x -= lr * x.grad\n"
            "    return x.detach()\n"
        ),
    ),
    Mutant(
        "update_outside_no_grad",
        grade_id="gradient_descent",
        hint="no_grad",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        x -= lr * x.grad\n"
            "        x.grad.zero_()\n"
            "    return x.detach()\n"
        ),
    ),
    Mutant(
        "rebinding_update",
        grade_id="gradient_descent",
        hint="no_grad",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        x = x - lr * x.grad\n"
            "        x.grad.zero_()\n"
            "    return x.detach()\n"
        ),
    ),
    Mutant(
        "updates_callers_x0",
        grade_id="gradient_descent",
        hint="modif",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        with torch.no_grad():\n"
            "            x -= lr * x.grad\n"
            "        x.grad.zero_()\n"
            "    return x.detach()\n"
        ),
    ),
    Mutant(
        "descent_clone_without_detach",
        grade_id="gradient_descent",
        hint="detach",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.clone().requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        with torch.no_grad():\n"
            "            x -= lr * x.grad\n"
            "        x.grad.zero_()\n"
            "    return x.detach()\n"
        ),
    ),
    Mutant(
        "gradient_ascent",
        grade_id="gradient_descent",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        with torch.no_grad():\n"
            "            x += lr * x.grad\n"
            "        x.grad.zero_()\n"
            "    return x.detach()\n"
        ),
    ),
    Mutant(
        "returns_requires_grad",
        grade_id="gradient_descent",
        hint="requires_grad",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        with torch.no_grad():\n"
            "            x -= lr * x.grad\n"
            "        x.grad.zero_()\n"
            "    return x\n"
        ),
    ),
    Mutant(
        "one_step_short",
        grade_id="gradient_descent",
        visible=True,
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    for _ in range(steps - 1):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        with torch.no_grad():\n"
            "            x -= lr * x.grad\n"
            "        x.grad.zero_()\n"
            "    return x.detach()\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 6: numerical_gradient
    Mutant(
        "one_sided_difference",
        grade_id="numerical_gradient",
        hint="central",
        visible=True,
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            '    """Central-difference estimate of the gradient of the scalar function f at x (any shape)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach()\n"
            "    flat = x.reshape(-1)\n"
            "    grad = torch.zeros_like(flat)\n"
            "    with torch.no_grad():\n"
            "        for i in range(flat.numel()):\n"
            "            step = torch.zeros_like(flat)\n"
            "            step[i] = eps\n"
            "            x_plus = (flat + step).reshape(x.shape)\n"
            "            x_minus = (flat - step).reshape(x.shape)\n"
            "            grad[i] = (f(x_plus) - f(x)) / eps\n"
            "    return grad.reshape(x.shape)\n"
        ),
    ),
    Mutant(
        "divides_by_eps",
        grade_id="numerical_gradient",
        visible=True,
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            '    """Central-difference estimate of the gradient of the scalar function f at x (any shape)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach()\n"
            "    flat = x.reshape(-1)\n"
            "    grad = torch.zeros_like(flat)\n"
            "    with torch.no_grad():\n"
            "        for i in range(flat.numel()):\n"
            "            step = torch.zeros_like(flat)\n"
            "            step[i] = eps\n"
            "            x_plus = (flat + step).reshape(x.shape)\n"
            "            x_minus = (flat - step).reshape(x.shape)\n"
            "            grad[i] = (f(x_plus) - f(x_minus)) / eps\n"
            "    return grad.reshape(x.shape)\n"
        ),
    ),
    Mutant(
        "all_elements_at_once",
        grade_id="numerical_gradient",
        hint="one element at a time",
        visible=True,
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            '    """Central-difference estimate of the gradient of the scalar function f at x (any shape)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach()\n"
            "    flat = x.reshape(-1)\n"
            "    grad = torch.zeros_like(flat)\n"
            "    with torch.no_grad():\n"
            "        for i in range(flat.numel()):\n"
            "            step = torch.full_like(flat, eps)\n"
            "            x_plus = (flat + step).reshape(x.shape)\n"
            "            x_minus = (flat - step).reshape(x.shape)\n"
            "            grad[i] = (f(x_plus) - f(x_minus)) / (2 * eps)\n"
            "    return grad.reshape(x.shape)\n"
        ),
    ),
    Mutant(
        "all_at_once_scalar",
        grade_id="numerical_gradient",
        hint="one element at a time",
        visible=True,
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    x = x.detach()\n"
            "    with torch.no_grad():\n"
            "        return (f(x + eps) - f(x - eps)) / (2 * eps)\n"
        ),
    ),
    Mutant(
        "flat_result",
        grade_id="numerical_gradient",
        visible=True,
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            '    """Central-difference estimate of the gradient of the scalar function f at x (any shape)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach()\n"
            "    flat = x.reshape(-1)\n"
            "    grad = torch.zeros_like(flat)\n"
            "    with torch.no_grad():\n"
            "        for i in range(flat.numel()):\n"
            "            step = torch.zeros_like(flat)\n"
            "            step[i] = eps\n"
            "            x_plus = (flat + step).reshape(x.shape)\n"
            "            x_minus = (flat - step).reshape(x.shape)\n"
            "            grad[i] = (f(x_plus) - f(x_minus)) / (2 * eps)\n"
            "    return grad\n"
        ),
    ),
    Mutant(
        "float32_buffer",
        grade_id="numerical_gradient",
        visible=True,
        code=(
            "def numerical_gradient(f, x, eps=1e-6):\n"
            '    """Central-difference estimate of the gradient of the scalar function f at x (any shape)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach()\n"
            "    flat = x.reshape(-1)\n"
            "    grad = torch.zeros(flat.numel())\n"
            "    with torch.no_grad():\n"
            "        for i in range(flat.numel()):\n"
            "            step = torch.zeros_like(flat)\n"
            "            step[i] = eps\n"
            "            x_plus = (flat + step).reshape(x.shape)\n"
            "            x_minus = (flat - step).reshape(x.shape)\n"
            "            grad[i] = (f(x_plus) - f(x_minus)) / (2 * eps)\n"
            "    return grad.reshape(x.shape)\n"
        ),
    ),
    Mutant(
        "perturbs_callers_x",
        grade_id="numerical_gradient",
        hint="modif",
        visible=True,
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
    ),
    Mutant(
        "restores_x_by_arithmetic",
        grade_id="numerical_gradient",
        hint="modif",
        visible=True,
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
    ),
    Mutant(
        "result_requires_grad",
        grade_id="numerical_gradient",
        hint="requires_grad",
        visible=True,
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
    ),
    Mutant(
        "absolute_error",
        grade_id="gradient_check",
        visible=True,
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            '    """Relative error between autograd\'s gradient of f at x and the central-difference estimate."""\n'
            "    ### BEGIN SOLUTION\n"
            "    numeric = numerical_gradient(f, x, eps)\n"
            "    x_leaf = x.detach().clone().requires_grad_(True)\n"
            "    f(x_leaf).backward()\n"
            "    analytic = x_leaf.grad\n"
            "    scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)\n"
            "    return float((analytic - numeric).abs().max() )\n"
        ),
    ),
    Mutant(
        "returns_tensor",
        grade_id="gradient_check",
        visible=True,
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            '    """Relative error between autograd\'s gradient of f at x and the central-difference estimate."""\n'
            "    ### BEGIN SOLUTION\n"
            "    numeric = numerical_gradient(f, x, eps)\n"
            "    x_leaf = x.detach().clone().requires_grad_(True)\n"
            "    f(x_leaf).backward()\n"
            "    analytic = x_leaf.grad\n"
            "    scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)\n"
            "    return (analytic - numeric).abs().max() / scale\n"
        ),
    ),
    Mutant(
        "check_grad_on_callers_x",
        grade_id="gradient_check",
        hint="modif",
        visible=True,
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            '    """Relative error between autograd\'s gradient of f at x and the central-difference estimate."""\n'
            "    ### BEGIN SOLUTION\n"
            "    numeric = numerical_gradient(f, x, eps)\n"
            "    x_leaf = x.requires_grad_(True)\n"
            "    f(x_leaf).backward()\n"
            "    analytic = x_leaf.grad\n"
            "    scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)\n"
            "    return float((analytic - numeric).abs().max() / scale)\n"
        ),
    ),
    Mutant(
        "ignores_eps",
        grade_id="gradient_check",
        visible=True,
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            '    """Relative error between autograd\'s gradient of f at x and the central-difference estimate."""\n'
            "    ### BEGIN SOLUTION\n"
            "    numeric = numerical_gradient(f, x)\n"
            "    x_leaf = x.detach().clone().requires_grad_(True)\n"
            "    f(x_leaf).backward()\n"
            "    analytic = x_leaf.grad\n"
            "    scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)\n"
            "    return float((analytic - numeric).abs().max() / scale)\n"
        ),
    ),
    Mutant(
        "scale_by_analytic_only",
        grade_id="gradient_check",
        visible=True,
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            '    """Relative error between autograd\'s gradient of f at x and the central-difference estimate."""\n'
            "    ### BEGIN SOLUTION\n"
            "    numeric = numerical_gradient(f, x, eps)\n"
            "    x_leaf = x.detach().clone().requires_grad_(True)\n"
            "    f(x_leaf).backward()\n"
            "    analytic = x_leaf.grad\n"
            "    scale = analytic.abs().max()\n"
            "    return float((analytic - numeric).abs().max() / scale)\n"
        ),
    ),
    Mutant(
        "elementwise_relative_error",
        grade_id="gradient_check",
        visible=True,
        code=(
            "def gradient_check(f, x, eps=1e-6):\n"
            "    numeric = numerical_gradient(f, x, eps)\n"
            "    x_leaf = x.detach().clone().requires_grad_(True)\n"
            "    f(x_leaf).backward()\n"
            "    analytic = x_leaf.grad\n"
            "    denominator = (analytic.abs() + numeric.abs()).clamp_min(1e-12)\n"
            "    return float(((analytic - numeric).abs() / denominator).max())\n"
        ),
    ),
]

VARIANTS = [
    # ---------------------------------------------------------------- Exercise 1: stack_features
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
    Variant(
        "unsqueeze_columns",
        grade_id="stack_features",
        code=(
            "def stack_features(temperature, rainfall, humidity):\n"
            '    """Return the (N, 3) matrix whose columns are the three (N,) feature vectors."""\n'
            "    ### BEGIN SOLUTION\n"
            "    columns = [feature.unsqueeze(-1) for feature in (temperature, rainfall, humidity)]\n"
            "    return torch.cat(columns, dim=1)\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 2: standardize_columns
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
    # ---------------------------------------------------------------- Exercise 3: numpy_interop
    Variant(
        "as_tensor",
        grade_id="numpy_interop",
        code=(
            "def to_tensor_shared(array):\n"
            '    """Return a tensor that shares memory with the NumPy array `array`."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.as_tensor(array)\n"
        ),
    ),
    Variant(
        "asarray",
        grade_id="numpy_interop",
        code=(
            "def to_tensor_shared(array):\n"
            '    """Return a tensor that shares memory with the NumPy array `array`."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.asarray(array)\n"
        ),
    ),
    Variant(
        "cpu_then_detach",
        grade_id="numpy_interop",
        code=(
            "def to_numpy(t):\n"
            '    """Return the values of tensor `t` as a NumPy array (t may require grad or live on a GPU)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return t.cpu().detach().numpy()\n"
        ),
    ),
    Variant(
        "np_asarray_of_detached",
        grade_id="numpy_interop",
        code=(
            "def to_numpy(t):\n"
            '    """Return the values of tensor `t` as a NumPy array (t may require grad or live on a GPU)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return np.asarray(t.detach().cpu())\n"
        ),
    ),
    Variant(
        "numpy_force",
        grade_id="numpy_interop",
        code=(
            "def to_numpy(t):\n"
            '    """Return the values of tensor `t` as a NumPy array (t may require grad or live on a GPU)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return t.numpy(force=True)\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 4: grad_of
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
        code=(
            "def grad_of(f, x):\n"
            '    """Gradient of the scalar function f at x, computed by autograd on a private copy of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if not y.requires_grad:\n"
            "        return torch.zeros_like(x)\n"
            "    y.backward()\n"
            "    if x.grad is None:\n"
            "        return torch.zeros_like(x)\n"
            "    return x.grad\n"
        ),
    ),
    Variant(
        "grad_fn_test",
        grade_id="grad_of",
        code=(
            "def grad_of(f, x):\n"
            '    """Gradient of the scalar function f at x, computed by autograd on a private copy of x."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x.detach().clone().requires_grad_(True)\n"
            "    y = f(x)\n"
            "    if y.grad_fn is None:\n"
            "        return torch.zeros_like(x)\n"
            "    y.backward()\n"
            "    if x.grad is None:\n"
            "        return torch.zeros_like(x)\n"
            "    return x.grad\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: gradient_descent
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
    Variant(
        "grad_set_to_none",
        grade_id="gradient_descent",
        code=(
            "def gradient_descent(f, x0, lr=0.1, steps=10):\n"
            '    """Run `steps` plain gradient-descent updates on f from x0 and return the final point."""\n'
            "    ### BEGIN SOLUTION\n"
            "    x = x0.detach().clone().requires_grad_(True)\n"
            "    for _ in range(steps):\n"
            "        loss = f(x)\n"
            "        loss.backward()\n"
            "        with torch.no_grad():\n"
            "            x -= lr * x.grad\n"
            "        x.grad = None\n"
            "    return x.detach()\n"
        ),
    ),
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
    # ---------------------------------------------------------------- Exercise 6: numerical_gradient
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
