"""Known-wrong answers (mutants) and unusual right answers (variants) for 01_tensors_autograd.

Each entry replaces whole definitions in one solution cell of source/01_tensors_autograd/01_tensors_autograd.ipynb
(`code=`), so it survives any rewording of the solution. `classic=True` marks the mistakes the notebook warns
about (the reshape trap, Long data, the sample standard deviation, copies instead of shared memory, .numpy()
on a tensor that requires grad, side effects on the caller's tensor, gradients never zeroed, updates recorded
by autograd, one-sided and all-at-once differences): each must lose at least half of its exercise's points.
Hints (phrases the hidden feedback must contain): "dim", "Long", "share", "detach", "modif", "requires_grad",
"zero", "no_grad", "central", "one element at a time", "device", "autograd's gradient", "defaults".
"""

from textwrap import dedent

from autograder.mutation import Mutant, Variant


def code(text: str) -> str:
    return dedent(text).lstrip("\n")


MUTANTS = [
    # ---------------------------------------------------------------- Exercise 1: stack_features
    Mutant(
        "cat_wrong_dim",
        grade_id="stack_features",
        hint="dim",
        visible=True,
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                columns = [feature.reshape(-1, 1) for feature in (temperature, rainfall, humidity)]
                return torch.cat(columns, dim=0)
        """),
    ),
    Mutant(
        "cat_then_reshape",
        grade_id="stack_features",
        hint="reshape",
        visible=True,
        classic=True,
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                return torch.cat([temperature, rainfall, humidity]).reshape(-1, 3)
        """),
    ),
    Mutant(
        "stack_as_rows",
        grade_id="stack_features",
        hint="dim",
        visible=True,
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                return torch.stack([temperature, rainfall, humidity])
        """),
    ),
    Mutant(
        "converts_to_float32",
        grade_id="stack_features",
        visible=True,
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                columns = [feature.reshape(-1, 1) for feature in (temperature, rainfall, humidity)]
                return torch.cat(columns, dim=1).float()
        """),
    ),
    Mutant(
        "squeeze_breaks_single_row",
        grade_id="stack_features",
        visible=True,
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                return torch.stack([temperature, rainfall, humidity]).squeeze().T
        """),
    ),
    Mutant(
        "builds_on_cpu",
        grade_id="stack_features",
        hint="device",
        visible=True,
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                out = torch.zeros(len(temperature), 3, dtype=temperature.dtype)
                for j, feature in enumerate((temperature, rainfall, humidity)):
                    out[:, j] = feature
                return out
        """),
    ),
    # ---------------------------------------------------------------- Exercise 2: standardize_columns
    Mutant(
        "long_not_converted",
        grade_id="standardize_columns",
        hint="Long",
        visible=True,
        classic=True,
        code=code("""
            def standardize_columns(x):
                mean = x.mean(dim=0, keepdim=True)
                std = x.std(dim=0, correction=0, keepdim=True)
                return (x - mean) / std
        """),
    ),
    Mutant(
        "only_int64_converted",
        grade_id="standardize_columns",
        hint="Long",
        visible=True,
        code=code("""
            def standardize_columns(x):
                if x.dtype == torch.int64:
                    x = x.float()
                mean = x.mean(dim=0, keepdim=True)
                std = x.std(dim=0, correction=0, keepdim=True)
                return (x - mean) / std
        """),
    ),
    Mutant(
        "always_float32",
        grade_id="standardize_columns",
        visible=True,
        code=code("""
            def standardize_columns(x):
                x = x.float()
                mean = x.mean(dim=0, keepdim=True)
                std = x.std(dim=0, correction=0, keepdim=True)
                return (x - mean) / std
        """),
    ),
    Mutant(
        "integers_to_float64",
        grade_id="standardize_columns",
        visible=True,
        code=code("""
            def standardize_columns(x):
                if not x.is_floating_point():
                    x = x.double()
                mean = x.mean(dim=0, keepdim=True)
                std = x.std(dim=0, correction=0, keepdim=True)
                return (x - mean) / std
        """),
    ),
    Mutant(
        "stats_over_rows",
        grade_id="standardize_columns",
        hint="dim",
        visible=True,
        code=code("""
            def standardize_columns(x):
                if not x.is_floating_point():
                    x = x.float()
                mean = x.mean(dim=1, keepdim=True)
                std = x.std(dim=1, correction=0, keepdim=True)
                return (x - mean) / std
        """),
    ),
    Mutant(
        "sample_std",
        grade_id="standardize_columns",
        hint="sample standard deviation",
        visible=True,
        classic=True,
        code=code("""
            def standardize_columns(x):
                if not x.is_floating_point():
                    x = x.float()
                mean = x.mean(dim=0, keepdim=True)
                std = x.std(dim=0, keepdim=True)
                return (x - mean) / std
        """),
    ),
    Mutant(
        "modifies_x_in_place",
        grade_id="standardize_columns",
        hint="modif",
        visible=True,
        code=code("""
            def standardize_columns(x):
                if not x.is_floating_point():
                    x = x.float()
                x -= x.mean(dim=0, keepdim=True)
                x /= x.std(dim=0, correction=0, keepdim=True)
                return x
        """),
    ),
    Mutant(
        "global_statistics",
        grade_id="standardize_columns",
        visible=True,
        code=code("""
            def standardize_columns(x):
                if not x.is_floating_point():
                    x = x.float()
                return (x - x.mean()) / x.std(correction=0)
        """),
    ),
    Mutant(
        "through_numpy",
        grade_id="standardize_columns",
        hint="device",
        visible=True,
        code=code("""
            def standardize_columns(x):
                a = x.detach().cpu().numpy()
                a = a.astype(a.dtype if x.is_floating_point() else np.float32)
                return torch.from_numpy((a - a.mean(axis=0)) / a.std(axis=0))
        """),
    ),
    # ---------------------------------------------------------------- Exercise 3: numpy_interop
    Mutant(
        "tensor_copies",
        grade_id="numpy_interop",
        hint="share",
        visible=True,
        classic=True,
        code=code("""
            def to_tensor_shared(array):
                return torch.tensor(array)
        """),
    ),
    Mutant(
        "Tensor_constructor",
        grade_id="numpy_interop",
        hint="share",
        visible=True,
        code=code("""
            def to_tensor_shared(array):
                return torch.Tensor(array)
        """),
    ),
    Mutant(
        "from_numpy_then_float",
        grade_id="numpy_interop",
        visible=True,
        code=code("""
            def to_tensor_shared(array):
                return torch.from_numpy(array).float()
        """),
    ),
    Mutant(
        "contiguous_copy",
        grade_id="numpy_interop",
        hint="share",
        visible=True,
        code=code("""
            def to_tensor_shared(array):
                return torch.from_numpy(np.ascontiguousarray(array))
        """),
    ),
    Mutant(
        "numpy_without_detach",
        grade_id="numpy_interop",
        hint="detach",
        visible=True,
        classic=True,
        code=code("""
            def to_numpy(t):
                return t.cpu().numpy()
        """),
    ),
    Mutant(
        "numpy_without_cpu",
        grade_id="numpy_interop",
        hint=".cpu()",
        visible=True,
        code=code("""
            def to_numpy(t):
                return t.detach().numpy()
        """),
    ),
    Mutant(
        "switches_off_requires_grad",
        grade_id="numpy_interop",
        hint="modif",
        visible=True,
        code=code("""
            def to_numpy(t):
                return t.requires_grad_(False).cpu().numpy()
        """),
    ),
    Mutant(
        "via_tolist",
        grade_id="numpy_interop",
        visible=True,
        code=code("""
            def to_numpy(t):
                return np.array(t.tolist())
        """),
    ),
    Mutant(
        "converts_to_float32_array",
        grade_id="numpy_interop",
        visible=True,
        code=code("""
            def to_numpy(t):
                return t.detach().cpu().float().numpy()
        """),
    ),
    # ---------------------------------------------------------------- Exercise 4: grad_of
    Mutant(
        "grad_on_callers_x",
        grade_id="grad_of",
        hint="modif",
        visible=True,
        classic=True,
        code=code("""
            def grad_of(f, x):
                x = x.requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return torch.zeros_like(x)
                y.backward()
                if x.grad is None:
                    return torch.zeros_like(x)
                return x.grad
        """),
    ),
    Mutant(
        "clone_without_detach",
        grade_id="grad_of",
        hint="detach",
        visible=True,
        code=code("""
            def grad_of(f, x):
                x = x.clone().requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return torch.zeros_like(x)
                y.backward()
                if x.grad is None:
                    return torch.zeros_like(x)
                return x.grad
        """),
    ),
    Mutant(
        "float32_copy",
        grade_id="grad_of",
        visible=True,
        code=code("""
            def grad_of(f, x):
                x = x.detach().clone().float().requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return torch.zeros_like(x)
                y.backward()
                if x.grad is None:
                    return torch.zeros_like(x)
                return x.grad
        """),
    ),
    Mutant(
        "returns_graph_gradient",
        grade_id="grad_of",
        hint="requires_grad",
        visible=True,
        code=code("""
            def grad_of(f, x):
                x = x.detach().clone().requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return torch.zeros_like(x)
                (g,) = torch.autograd.grad(y, x, create_graph=True, allow_unused=True)
                return torch.zeros_like(x) if g is None else g
        """),
    ),
    Mutant(
        "no_guard_for_constant_f",
        grade_id="grad_of",
        visible=True,
        code=code("""
            def grad_of(f, x):
                x = x.detach().clone().requires_grad_(True)
                y = f(x)
                y.backward()
                if x.grad is None:
                    return torch.zeros_like(x)
                return x.grad
        """),
    ),
    Mutant(
        "returns_none_without_path",
        grade_id="grad_of",
        visible=True,
        code=code("""
            def grad_of(f, x):
                x = x.detach().clone().requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return x.grad
                y.backward()
                return x.grad
        """),
    ),
    Mutant(
        "zeros_without_device",
        grade_id="grad_of",
        hint="device",
        visible=True,
        code=code("""
            def grad_of(f, x):
                x = x.detach().clone().requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return torch.zeros(x.shape, dtype=x.dtype)
                y.backward()
                if x.grad is None:
                    return torch.zeros(x.shape, dtype=x.dtype)
                return x.grad
        """),
    ),
    # ---------------------------------------------------------------- Exercise 5: gradient_descent
    Mutant(
        "grad_not_zeroed",
        grade_id="gradient_descent",
        hint="zero",
        visible=True,
        classic=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                return x.detach()
        """),
    ),
    Mutant(
        "update_outside_no_grad",
        grade_id="gradient_descent",
        hint="no_grad",
        visible=True,
        classic=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    x -= lr * x.grad
                    x.grad.zero_()
                return x.detach()
        """),
    ),
    Mutant(
        "rebinding_update",
        grade_id="gradient_descent",
        hint="no_grad",
        visible=True,
        classic=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    x = x - lr * x.grad
                    x.grad.zero_()
                return x.detach()
        """),
    ),
    Mutant(
        "updates_callers_x0",
        grade_id="gradient_descent",
        hint="modif",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                    x.grad.zero_()
                return x.detach()
        """),
    ),
    Mutant(
        "descent_clone_without_detach",
        grade_id="gradient_descent",
        hint="detach",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                    x.grad.zero_()
                return x.detach()
        """),
    ),
    Mutant(
        "gradient_ascent",
        grade_id="gradient_descent",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x += lr * x.grad
                    x.grad.zero_()
                return x.detach()
        """),
    ),
    Mutant(
        "returns_requires_grad",
        grade_id="gradient_descent",
        hint="requires_grad",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                    x.grad.zero_()
                return x
        """),
    ),
    Mutant(
        "one_step_short",
        grade_id="gradient_descent",
        hint="exactly `steps` updates",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps - 1):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                    x.grad.zero_()
                return x.detach()
        """),
    ),
    Mutant(
        "other_default_lr",
        grade_id="gradient_descent",
        hint="defaults",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.01, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                    x.grad.zero_()
                return x.detach()
        """),
    ),
    Mutant(
        "finite_difference_steps",
        grade_id="gradient_descent",
        hint="autograd's gradient",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone()
                h = 1e-6
                for _ in range(steps):
                    grad = torch.zeros_like(x)
                    flat, out = x.reshape(-1), grad.reshape(-1)
                    with torch.no_grad():
                        for i in range(flat.numel()):
                            e = torch.zeros_like(flat)
                            e[i] = h
                            out[i] = (f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h)
                    x = x - lr * grad
                return x
        """),
    ),
    Mutant(
        "result_to_cpu",
        grade_id="gradient_descent",
        hint="device",
        visible=True,
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                    x.grad.zero_()
                return x.detach().cpu()
        """),
    ),
    # ---------------------------------------------------------------- Exercise 6: numerical_gradient
    Mutant(
        "one_sided_difference",
        grade_id="numerical_gradient",
        hint="central",
        visible=True,
        classic=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                x = x.detach()
                flat = x.reshape(-1)
                grad = torch.zeros_like(flat)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        step = torch.zeros_like(flat)
                        step[i] = eps
                        grad[i] = (f((flat + step).reshape(x.shape)) - f(x)) / eps
                return grad.reshape(x.shape)
        """),
    ),
    Mutant(
        "divides_by_eps",
        grade_id="numerical_gradient",
        hint="2*eps",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                x = x.detach()
                flat = x.reshape(-1)
                grad = torch.zeros_like(flat)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        step = torch.zeros_like(flat)
                        step[i] = eps
                        grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / eps
                return grad.reshape(x.shape)
        """),
    ),
    Mutant(
        "all_elements_at_once",
        grade_id="numerical_gradient",
        hint="one element at a time",
        visible=True,
        classic=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                x = x.detach()
                flat = x.reshape(-1)
                grad = torch.zeros_like(flat)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        step = torch.full_like(flat, eps)
                        grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * eps)
                return grad.reshape(x.shape)
        """),
    ),
    Mutant(
        "all_at_once_scalar",
        grade_id="numerical_gradient",
        hint="one element at a time",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                x = x.detach()
                with torch.no_grad():
                    return (f(x + eps) - f(x - eps)) / (2 * eps)
        """),
    ),
    Mutant(
        "flat_result",
        grade_id="numerical_gradient",
        hint="reshape",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                x = x.detach()
                flat = x.reshape(-1)
                grad = torch.zeros_like(flat)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        step = torch.zeros_like(flat)
                        step[i] = eps
                        grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * eps)
                return grad
        """),
    ),
    Mutant(
        "float32_buffer",
        grade_id="numerical_gradient",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                x = x.detach()
                flat = x.reshape(-1)
                grad = torch.zeros(flat.numel())
                with torch.no_grad():
                    for i in range(flat.numel()):
                        step = torch.zeros_like(flat)
                        step[i] = eps
                        grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * eps)
                return grad.reshape(x.shape)
        """),
    ),
    Mutant(
        "buffer_on_cpu",
        grade_id="numerical_gradient",
        hint="device",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                x = x.detach()
                flat = x.reshape(-1)
                grad = torch.zeros(flat.numel(), dtype=x.dtype)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        step = torch.zeros_like(flat)
                        step[i] = eps
                        grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * eps)
                return grad.reshape(x.shape)
        """),
    ),
    Mutant(
        "perturbs_callers_x",
        grade_id="numerical_gradient",
        hint="modif",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                flat = x.detach().view(-1)
                grad = torch.zeros_like(flat)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        flat[i] += eps
                        f_plus = f(x)
                        flat[i] -= 2 * eps
                        f_minus = f(x)
                        grad[i] = (f_plus - f_minus) / (2 * eps)
                return grad.reshape(x.shape)
        """),
    ),
    Mutant(
        "restores_x_by_arithmetic",
        grade_id="numerical_gradient",
        hint="modif",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                flat = x.detach().view(-1)
                grad = torch.zeros_like(flat)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        flat[i] += eps
                        f_plus = f(x)
                        flat[i] -= 2 * eps
                        f_minus = f(x)
                        flat[i] += eps
                        grad[i] = (f_plus - f_minus) / (2 * eps)
                return grad.reshape(x.shape)
        """),
    ),
    Mutant(
        "result_requires_grad",
        grade_id="numerical_gradient",
        hint="requires_grad",
        visible=True,
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                flat = x.reshape(-1)
                grad = torch.zeros_like(flat)
                for i in range(flat.numel()):
                    step = torch.zeros_like(flat)
                    step[i] = eps
                    grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * eps)
                return grad.reshape(x.shape)
        """),
    ),
    # ---------------------------------------------------------------- Exercise 6: gradient_check
    Mutant(
        "absolute_error",
        grade_id="gradient_check",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                analytic = grad_of(f, x)
                numeric = numerical_gradient(f, x, eps)
                return float((analytic - numeric).abs().max())
        """),
    ),
    Mutant(
        "returns_tensor",
        grade_id="gradient_check",
        hint="float(",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                analytic = grad_of(f, x)
                numeric = numerical_gradient(f, x, eps)
                scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)
                return (analytic - numeric).abs().max() / scale
        """),
    ),
    Mutant(
        "check_grad_on_callers_x",
        grade_id="gradient_check",
        hint="modif",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                numeric = numerical_gradient(f, x, eps)
                x.requires_grad_(True)
                y = f(x)
                analytic = torch.autograd.grad(y, x)[0] if y.requires_grad else torch.zeros_like(x)
                scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)
                return float((analytic - numeric).abs().max() / scale)
        """),
    ),
    Mutant(
        "backward_without_guard",
        grade_id="gradient_check",
        hint="zeros",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                numeric = numerical_gradient(f, x, eps)
                x_leaf = x.detach().clone().requires_grad_(True)
                f(x_leaf).backward()
                analytic = x_leaf.grad
                scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)
                return float((analytic - numeric).abs().max() / scale)
        """),
    ),
    Mutant(
        "ignores_eps",
        grade_id="gradient_check",
        hint="pass eps on",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                analytic = grad_of(f, x)
                numeric = numerical_gradient(f, x)
                scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)
                return float((analytic - numeric).abs().max() / scale)
        """),
    ),
    Mutant(
        "scale_by_analytic_only",
        grade_id="gradient_check",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                analytic = grad_of(f, x)
                numeric = numerical_gradient(f, x, eps)
                return float((analytic - numeric).abs().max() / analytic.abs().max())
        """),
    ),
    Mutant(
        "elementwise_relative_error",
        grade_id="gradient_check",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                analytic = grad_of(f, x)
                numeric = numerical_gradient(f, x, eps)
                denominator = (analytic.abs() + numeric.abs()).clamp_min(1e-12)
                return float(((analytic - numeric).abs() / denominator).max())
        """),
    ),
    Mutant(
        "signed_difference",
        grade_id="gradient_check",
        visible=True,
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                analytic = grad_of(f, x)
                numeric = numerical_gradient(f, x, eps)
                scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)
                return float((analytic - numeric).max() / scale)
        """),
    ),
]

VARIANTS = [
    # ---------------------------------------------------------------- Exercise 1: stack_features
    Variant(
        "stack_along_dim1",
        grade_id="stack_features",
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                return torch.stack([temperature, rainfall, humidity], dim=1)
        """),
    ),
    Variant(
        "stack_along_last_dim",
        grade_id="stack_features",
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                return torch.stack((temperature, rainfall, humidity), dim=-1)
        """),
    ),
    Variant(
        "cat_reshape_transpose",
        grade_id="stack_features",
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                return torch.cat([temperature, rainfall, humidity]).reshape(3, -1).T
        """),
    ),
    Variant(
        "column_stack",
        grade_id="stack_features",
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                return torch.column_stack((temperature, rainfall, humidity))
        """),
    ),
    Variant(
        "unsqueeze_columns",
        grade_id="stack_features",
        code=code("""
            def stack_features(temperature, rainfall, humidity):
                columns = [feature.unsqueeze(-1) for feature in (temperature, rainfall, humidity)]
                return torch.cat(columns, dim=1)
        """),
    ),
    # ---------------------------------------------------------------- Exercise 2: standardize_columns
    Variant(
        "std_mean",
        grade_id="standardize_columns",
        code=code("""
            def standardize_columns(x):
                if x.dtype in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8):
                    x = x.to(torch.float32)
                std, mean = torch.std_mean(x, dim=0, correction=0)
                return (x - mean) / std
        """),
    ),
    Variant(
        "explicit_formula",
        grade_id="standardize_columns",
        code=code("""
            def standardize_columns(x):
                x = x if torch.is_floating_point(x) else x.to(torch.float32)
                n = x.shape[0]
                mu = x.sum(dim=0) / n
                centred = x - mu
                sigma = torch.sqrt((centred * centred).sum(dim=0) / n)
                return centred / sigma
        """),
    ),
    Variant(
        "var_unbiased_false",
        grade_id="standardize_columns",
        code=code("""
            def standardize_columns(x):
                if not torch.is_floating_point(x):
                    x = x.float()
                centred = x - x.mean(0)
                return centred / x.var(0, unbiased=False).sqrt()
        """),
    ),
    # ---------------------------------------------------------------- Exercise 3: numpy_interop
    Variant(
        "as_tensor",
        grade_id="numpy_interop",
        code=code("""
            def to_tensor_shared(array):
                return torch.as_tensor(array)
        """),
    ),
    Variant(
        "asarray",
        grade_id="numpy_interop",
        code=code("""
            def to_tensor_shared(array):
                return torch.asarray(array)
        """),
    ),
    Variant(
        "cpu_then_detach",
        grade_id="numpy_interop",
        code=code("""
            def to_numpy(t):
                return t.cpu().detach().numpy()
        """),
    ),
    Variant(
        "np_asarray_of_detached",
        grade_id="numpy_interop",
        code=code("""
            def to_numpy(t):
                return np.asarray(t.detach().cpu())
        """),
    ),
    Variant(
        "numpy_force",
        grade_id="numpy_interop",
        code=code("""
            def to_numpy(t):
                return t.numpy(force=True)
        """),
    ),
    Variant(
        "to_cpu_device",
        grade_id="numpy_interop",
        code=code("""
            def to_numpy(t):
                return t.detach().to("cpu").numpy()
        """),
    ),
    # ---------------------------------------------------------------- Exercise 4: grad_of
    Variant(
        "autograd_grad",
        grade_id="grad_of",
        code=code("""
            def grad_of(f, x):
                x = x.detach().clone().requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return torch.zeros_like(x)
                (g,) = torch.autograd.grad(y, x, allow_unused=True)
                return torch.zeros_like(x) if g is None else g
        """),
    ),
    Variant(
        "detach_without_clone",
        grade_id="grad_of",
        code=code("""
            def grad_of(f, x):
                x = x.detach().requires_grad_(True)
                y = f(x)
                if not y.requires_grad:
                    return torch.zeros_like(x)
                y.backward()
                if x.grad is None:
                    return torch.zeros_like(x)
                return x.grad
        """),
    ),
    Variant(
        "grad_fn_test",
        grade_id="grad_of",
        code=code("""
            def grad_of(f, x):
                x = x.detach().clone().requires_grad_(True)
                y = f(x)
                if y.grad_fn is None:
                    return torch.zeros_like(x)
                y.backward()
                if x.grad is None:
                    return torch.zeros_like(x)
                return x.grad
        """),
    ),
    Variant(
        "try_backward",
        grade_id="grad_of",
        code=code("""
            def grad_of(f, x):
                copy = x.detach().clone()
                copy.requires_grad = True
                try:
                    f(copy).backward()
                except RuntimeError:
                    return torch.zeros_like(copy)
                return torch.zeros_like(copy) if copy.grad is None else copy.grad.detach()
        """),
    ),
    # ---------------------------------------------------------------- Exercise 5: gradient_descent
    Variant(
        "optim_sgd",
        grade_id="gradient_descent",
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                optimizer = torch.optim.SGD([x], lr=lr)
                for _ in range(steps):
                    optimizer.zero_grad()
                    f(x).backward()
                    optimizer.step()
                return x.detach()
        """),
    ),
    Variant(
        "grad_set_to_none",
        grade_id="gradient_descent",
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                for _ in range(steps):
                    loss = f(x)
                    loss.backward()
                    with torch.no_grad():
                        x -= lr * x.grad
                    x.grad = None
                return x.detach()
        """),
    ),
    Variant(
        "functional_autograd_grad",
        grade_id="gradient_descent",
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone()
                for _ in range(steps):
                    x.requires_grad_(True)
                    (g,) = torch.autograd.grad(f(x), x)
                    x = (x - lr * g).detach()
                return x
        """),
    ),
    Variant(
        "records_losses_with_item",
        grade_id="gradient_descent",
        code=code("""
            def gradient_descent(f, x0, lr=0.1, steps=10):
                x = x0.detach().clone().requires_grad_(True)
                losses = []
                for _ in range(steps):
                    x.grad = None
                    loss = f(x)
                    loss.backward()
                    losses.append(loss.item())
                    with torch.no_grad():
                        x.sub_(lr * x.grad)
                return x.detach()
        """),
    ),
    # ---------------------------------------------------------------- Exercise 6: numerical_gradient
    Variant(
        "identity_basis",
        grade_id="numerical_gradient",
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                base = x.detach().reshape(-1)
                steps = eps * torch.eye(base.numel(), dtype=x.dtype, device=x.device)
                with torch.no_grad():
                    values = [(f((base + e).reshape(x.shape)) - f((base - e).reshape(x.shape))) / (2 * eps)
                              for e in steps]
                return torch.stack(values).reshape(x.shape).to(x.dtype)
        """),
    ),
    Variant(
        "perturb_private_clone",
        grade_id="numerical_gradient",
        code=code("""
            import itertools

            def numerical_gradient(f, x, eps=1e-6):
                work = x.detach().clone()
                grad = torch.empty_like(work)
                with torch.no_grad():
                    for idx in itertools.product(*(range(n) for n in work.shape)):
                        saved = work[idx].item()
                        work[idx] = saved + eps
                        f_plus = f(work).item()
                        work[idx] = saved - eps
                        f_minus = f(work).item()
                        work[idx] = saved
                        grad[idx] = (f_plus - f_minus) / (2 * eps)
                return grad
        """),
    ),
    Variant(
        "zeros_with_device_argument",
        grade_id="numerical_gradient",
        code=code("""
            def numerical_gradient(f, x, eps=1e-6):
                base = x.detach()
                grad = torch.zeros(base.numel(), dtype=base.dtype, device=base.device)
                flat = base.reshape(-1)
                with torch.no_grad():
                    for i in range(flat.numel()):
                        plus, minus = flat.clone(), flat.clone()
                        plus[i] += eps
                        minus[i] -= eps
                        grad[i] = (f(plus.view_as(base)) - f(minus.view_as(base))) / (2 * eps)
                return grad.view_as(base)
        """),
    ),
    # ---------------------------------------------------------------- Exercise 6: gradient_check
    Variant(
        "autograd_grad_and_item",
        grade_id="gradient_check",
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                numeric = numerical_gradient(f, x, eps=eps)
                x_leaf = x.detach().clone().requires_grad_()
                y = f(x_leaf)
                if y.requires_grad:
                    (analytic,) = torch.autograd.grad(y, x_leaf, allow_unused=True)
                else:
                    analytic = None
                if analytic is None:
                    analytic = torch.zeros_like(numeric)
                worst = (analytic - numeric).abs().max().item()
                return worst / max(analytic.abs().max().item(), numeric.abs().max().item(), 1e-12)
        """),
    ),
    Variant(
        "direct_backward_guarded",
        grade_id="gradient_check",
        code=code("""
            def gradient_check(f, x, eps=1e-6):
                numeric = numerical_gradient(f, x, eps)
                x_leaf = x.detach().clone().requires_grad_(True)
                y = f(x_leaf)
                if y.requires_grad:
                    y.backward()
                analytic = x_leaf.grad if x_leaf.grad is not None else torch.zeros_like(x_leaf)
                scale = torch.maximum(analytic.abs().max(), numeric.abs().max()).clamp_min(1e-12)
                return float((analytic - numeric).abs().max() / scale)
        """),
    ),
]
