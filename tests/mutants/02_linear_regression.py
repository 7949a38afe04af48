"""Known-wrong answers (MUTANTS) and unusual right answers (VARIANTS) for 02_linear_regression.

Each entry gives the definitions that replace the instructor's own in one solution cell of
source/02_linear_regression/02_linear_regression.ipynb (see autograder.mutation).
visible=True: the notebook's own check of that exercise does not print "Exercise N: OK" for it
(it prints a message or the student's code raises).
"""

from autograder.mutation import Mutant, Variant

MUTANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_model
    Mutant(
        "transpose_missing",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return inputs @ w + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "operands_swapped",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return w @ inputs.t() + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "bias_on_wrong_axis",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return inputs @ w.t() + b[:, None]\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "bias_missing",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return inputs @ w.t()\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "reshape_instead_of_transpose",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return inputs @ w.reshape(w.shape[1], w.shape[0]) + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "closure_captures_clones",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    w, b = w.clone(), b.clone()\n"
            "\n"
            "    def model(inputs):\n"
            "        return inputs @ w.t() + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "closure_captures_detached",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    w, b = w.detach(), b.detach()\n"
            "\n"
            "    def model(inputs):\n"
            "        return inputs @ w.t() + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "inputs_argument_ignored",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(x):\n"
            "        return inputs @ w.t() + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "course_data_hard_coded",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return torch.tensor([[73., 67., 43.], [91., 88., 64.], [87., 134., 58.], [102., 43., 37.], [69., 96., 70.]], dtype=w.dtype) @ w.t() + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "w_data_no_gradient",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return inputs @ w.data.t() + b.data\n"
            "\n"
            "    return model\n"
        ),
    ),
    Mutant(
        "numpy_array_returned",
        grade_id="linear_model",
        visible=True,
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return (inputs @ w.t() + b).detach().numpy()\n"
            "\n"
            "    return model\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 2: mse
    Mutant(
        "sum_not_mean",
        grade_id="mse",
        hint="sum instead of mean",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).sum()\n"
        ),
    ),
    Mutant(
        "absolute_error",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return diff.abs().mean()\n"
        ),
    ),
    Mutant(
        "not_squared",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return diff.mean()\n"
        ),
    ),
    Mutant(
        "square_of_mean",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return diff.mean() ** 2\n"
        ),
    ),
    Mutant(
        "divided_by_rows_only",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).sum() / diff.shape[0]\n"
        ),
    ),
    Mutant(
        "divided_by_columns_only",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).sum() / diff.shape[1]\n"
        ),
    ),
    Mutant(
        "root_mean_square",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).mean().sqrt()\n"
        ),
    ),
    Mutant(
        "half_mse",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).mean() / 2\n"
        ),
    ),
    Mutant(
        "python_float_returned",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).mean().item()\n"
        ),
    ),
    Mutant(
        "vector_mean_over_dim0",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).mean(dim=0)\n"
        ),
    ),
    Mutant(
        "detached_loss",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).mean().detach()\n"
        ),
    ),
    Mutant(
        "numpy_loss",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return np.mean((preds.detach().cpu().numpy() - targets.detach().cpu().numpy()) ** 2)\n"
        ),
    ),
    Mutant(
        "preds_modified_in_place",
        grade_id="mse",
        visible=True,
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds.sub_(targets)\n"
            "    return (diff ** 2).mean()\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 3: perform_one_update
    Mutant(
        "update_outside_no_grad",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    w -= lr * w.grad\n"
            "    b -= lr * b.grad\n"
            "    w.grad.zero_()\n"
            "    b.grad.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "grad_never_zeroed",
        grade_id="perform_one_update",
        hint="not zeroed",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "only_w_grad_zeroed",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "        w.grad.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "grad_zeroed_before_step",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "rebinding_not_in_place",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w = w - lr * w.grad\n"
            "        b = b - lr * b.grad\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "wrong_sign",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w += lr * w.grad\n"
            "        b += lr * b.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "lr_argument_ignored",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= 1e-5 * w.grad\n"
            "        b -= 1e-5 * b.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "bias_not_updated",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "w_detached_afterwards",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "    w.detach_()\n"
            "    return loss.item()\n"
        ),
    ),
    Mutant(
        "loss_returned_as_tensor",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "    return loss\n"
        ),
    ),
    Mutant(
        "loss_after_update_returned",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "    return mse(model(inputs), targets).item()\n"
        ),
    ),
    Mutant(
        "nothing_returned",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "\n"
            "    ### END SOLUTION"
        ),
    ),
    Mutant(
        "model_argument_ignored",
        grade_id="perform_one_update",
        visible=True,
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(inputs @ w.t() + b, targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "        w.grad.zero_()\n"
            "        b.grad.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 4: train_with_GD
    Mutant(
        "gd_one_epoch_short",
        grade_id="train_with_GD",
        visible=True,
        code=(
            "def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """Full-batch gradient descent. Returns losses: list of `epochs` floats (full-data MSE after each epoch)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    losses = []\n"
            "    for epoch in range(epochs - 1):\n"
            "        perform_one_update(model, inputs, targets, w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "gd_one_epoch_too_many",
        grade_id="train_with_GD",
        visible=True,
        code=(
            "def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """Full-batch gradient descent. Returns losses: list of `epochs` floats (full-data MSE after each epoch)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    losses = []\n"
            "    for epoch in range(epochs + 1):\n"
            "        perform_one_update(model, inputs, targets, w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "gd_losses_before_update",
        grade_id="train_with_GD",
        visible=True,
        code=(
            "def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """Full-batch gradient descent. Returns losses: list of `epochs` floats (full-data MSE after each epoch)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        losses.append(perform_one_update(model, inputs, targets, w, b, lr))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "gd_lr_not_passed_on",
        grade_id="train_with_GD",
        visible=True,
        code=(
            "def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """Full-batch gradient descent. Returns losses: list of `epochs` floats (full-data MSE after each epoch)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perform_one_update(model, inputs, targets, w, b)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "gd_losses_as_tensors",
        grade_id="train_with_GD",
        visible=True,
        code=(
            "def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """Full-batch gradient descent. Returns losses: list of `epochs` floats (full-data MSE after each epoch)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perform_one_update(model, inputs, targets, w, b, lr)\n"
            "        losses.append(mse(model(inputs), targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "gd_nothing_returned",
        grade_id="train_with_GD",
        visible=True,
        code=(
            "def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """Full-batch gradient descent. Returns losses: list of `epochs` floats (full-data MSE after each epoch)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perform_one_update(model, inputs, targets, w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "\n"
            "    ### END SOLUTION"
        ),
    ),
    Mutant(
        "sgd_one_epoch_short",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs - 1):\n"
            "        order = torch.randperm(n).tolist()  # a fresh order every epoch\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_no_shuffle",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = list(range(n))  # a fresh order every epoch\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_shuffled_once",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    order = torch.randperm(n).tolist()  # drawn once\n"
            "    for epoch in range(epochs):\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_inputs_shuffled_without_targets",
        grade_id="train_with_SGD",
        hint="shuffled without their targets",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = torch.randperm(n).tolist()  # a fresh order every epoch\n"
            "        for k, i in enumerate(order):\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[k:k + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_sampling_with_replacement",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = torch.randint(n, (n,)).tolist()  # a fresh order every epoch\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_last_sample_dropped",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = torch.randperm(n - 1).tolist()  # a fresh order every epoch\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_caller_data_shuffled_in_place",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n)\n"
            "        inputs.copy_(inputs[perm])\n"
            "        targets.copy_(targets[perm])\n"
            "        for i in range(n):\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_numpy_shuffle_of_inputs",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        np.random.shuffle(inputs)\n"
            "        for i in range(n):\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_full_batch_updates",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = torch.randperm(n).tolist()  # a fresh order every epoch\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs, targets, w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_lr_not_passed_on",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = torch.randperm(n).tolist()  # a fresh order every epoch\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "sgd_losses_averaged_over_samples",
        grade_id="train_with_SGD",
        visible=True,
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = torch.randperm(n).tolist()  # a fresh order every epoch\n"
            "        sample_losses = [perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "                         for i in order]\n"
            "        losses.append(sum(sample_losses) / n)\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_one_epoch_short",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs - 1):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_last_partial_batch_dropped",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for start in range(0, n - batch_size + 1, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_overlapping_batches",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for start in range(0, n - batch_size + 1):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_no_shuffle",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.arange(n, device=inputs.device)\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_shuffled_once",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    perm = torch.randperm(n, device=inputs.device)\n"
            "    for epoch in range(epochs):\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_sampling_with_replacement",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randint(n, (n,), device=inputs.device)\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_inputs_shuffled_without_targets",
        grade_id="train_with_minibatchSGD",
        hint="shuffled without their targets",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[start:start + batch_size], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_chunk_count_floor_division",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for idx in torch.chunk(perm, n // batch_size):\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_batch_size_hard_coded",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for start in range(0, n, 4):\n"
            "            idx = perm[start:start + 4]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Mutant(
        "mb_caller_data_shuffled_in_place",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        inputs[:] = inputs[perm]\n"
            "        targets[:] = targets[perm]\n"
            "        perm = torch.arange(n, device=inputs.device)\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: optimizers
    Mutant(
        "sgd_step_wrong_sign",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for p in self.params:\n"
            "                if p.grad is not None:\n"
            "                    p += self.lr * p.grad\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                p.grad.zero_()\n"
        ),
    ),
    Mutant(
        "sgd_step_lr_ignored",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for p in self.params:\n"
            "                if p.grad is not None:\n"
            "                    p -= 1e-5 * p.grad\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                p.grad.zero_()\n"
        ),
    ),
    Mutant(
        "sgd_step_rebinds",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for p in self.params:\n"
            "                if p.grad is not None:\n"
            "                    p = p - self.lr * p.grad\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                p.grad.zero_()\n"
        ),
    ),
    Mutant(
        "sgd_step_outside_no_grad",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                p -= self.lr * p.grad\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                p.grad.zero_()\n"
        ),
    ),
    Mutant(
        "zero_grad_does_nothing",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for p in self.params:\n"
            "                if p.grad is not None:\n"
            "                    p -= self.lr * p.grad\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                pass\n"
        ),
    ),
    Mutant(
        "params_iterable_not_stored_as_list",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = params\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for p in self.params:\n"
            "                if p.grad is not None:\n"
            "                    p -= self.lr * p.grad\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                p.grad.zero_()\n"
        ),
    ),
    Mutant(
        "velocity_not_kept",
        grade_id="optimizers",
        hint="velocity",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                p -= self.lr * self.velocity[i]\n"
            "\n"
            "\n"
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
        ),
    ),
    Mutant(
        "velocity_shared_between_instances",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    velocity = [None, None]  # class attribute: one list shared by every instance\n"
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * self.velocity[i]\n"
        ),
    ),
    Mutant(
        "momentum_applied_to_gradient",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].add_(self.momentum * g)\n"
            "                p -= self.lr * self.velocity[i]\n"
            "\n"
            "\n"
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].add_(self.momentum * g)\n"
            "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
        ),
    ),
    Mutant(
        "velocity_aliased_to_grad",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * self.velocity[i]\n"
            "\n"
            "\n"
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
        ),
    ),
    Mutant(
        "momentum_step_one_velocity_late",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = torch.zeros_like(p)\n"
            "                p -= self.lr * self.velocity[i]\n"
            "                self.velocity[i].mul_(self.momentum).add_(g)\n"
        ),
    ),
    Mutant(
        "momentum_hard_coded",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(0.9).add_(g)\n"
            "                p -= self.lr * self.velocity[i]\n"
            "\n"
            "\n"
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(0.9).add_(g)\n"
            "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
        ),
    ),
    Mutant(
        "ema_velocity_without_rescaling",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)\n"
            "                p -= self.lr * self.velocity[i]\n"
            "\n"
            "\n"
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)\n"
            "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
        ),
    ),
    Mutant(
        "ema_velocity_started_at_g",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)\n"
            "                p -= self.lr / (1 - self.momentum) * self.velocity[i]\n"
        ),
    ),
    Mutant(
        "nesterov_as_plain_momentum",
        grade_id="optimizers",
        hint="Nesterov",
        visible=True,
        code=(
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * self.velocity[i]\n"
        ),
    ),
    Mutant(
        "nesterov_wrong_sign",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * (g - self.momentum * self.velocity[i])\n"
        ),
    ),
    Mutant(
        "nesterov_velocity_instead_of_gradient",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = g.clone()\n"
            "                else:\n"
            "                    self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * (self.velocity[i] + self.momentum * self.velocity[i])\n"
        ),
    ),
    Mutant(
        "nesterov_uses_previous_velocity",
        grade_id="optimizers",
        visible=True,
        code=(
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = torch.zeros_like(p)\n"
            "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
            "                self.velocity[i].mul_(self.momentum).add_(g)\n"
        ),
    ),
]

VARIANTS = [
    # ---------------------------------------------------------------- Exercise 1: linear_model
    Variant(
        "f_linear",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return torch.nn.functional.linear(inputs, w, b)\n"
            "\n"
            "    return model\n"
        ),
    ),
    Variant(
        "matmul_capital_T",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return torch.matmul(inputs, w.T) + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Variant(
        "einsum",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            '        return torch.einsum("nd,kd->nk", inputs, w) + b\n'
            "\n"
            "    return model\n"
        ),
    ),
    Variant(
        "addmm",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return torch.addmm(b, inputs, w.t())\n"
            "\n"
            "    return model\n"
        ),
    ),
    Variant(
        "mm_then_add",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return inputs.mm(w.t()).add(b)\n"
            "\n"
            "    return model\n"
        ),
    ),
    Variant(
        "swapped_then_transposed",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return (w @ inputs.t()).t() + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Variant(
        "broadcast_multiply_sum",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    def model(inputs):\n"
            "        return (inputs[:, None, :] * w[None, :, :]).sum(dim=-1) + b\n"
            "\n"
            "    return model\n"
        ),
    ),
    Variant(
        "lambda_closure",
        grade_id="linear_model",
        code=(
            "def make_linear_model(w, b):\n"
            '    """Return model(inputs) = inputs @ w.T + b.\n'
            "\n"
            "    w: (K, D) weights, b: (K,) biases. model maps inputs (N, D) to predictions (N, K)\n"
            "    and uses w and b themselves (not copies), so in-place updates of w and b show.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    return lambda inputs: inputs @ w.t() + b\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 2: mse
    Variant(
        "f_mse_loss",
        grade_id="mse",
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.nn.functional.mse_loss(preds, targets)\n"
        ),
    ),
    Variant(
        "nn_MSELoss",
        grade_id="mse",
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return torch.nn.MSELoss()(preds, targets)\n"
        ),
    ),
    Variant(
        "pow_sum_over_numel",
        grade_id="mse",
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return diff.pow(2).sum() / diff.numel()\n"
        ),
    ),
    Variant(
        "targets_minus_preds",
        grade_id="mse",
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = targets - preds\n"
            "    return (diff ** 2).mean()\n"
        ),
    ),
    Variant(
        "mean_of_row_means",
        grade_id="mse",
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff ** 2).mean(dim=1).mean()\n"
        ),
    ),
    Variant(
        "torch_square",
        grade_id="mse",
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return torch.mean(torch.square(diff))\n"
        ),
    ),
    Variant(
        "diff_times_diff",
        grade_id="mse",
        code=(
            "def mse(preds, targets):\n"
            '    """Mean squared error over ALL elements; a 0-d tensor that keeps the autograd graph."""\n'
            "    ### BEGIN SOLUTION\n"
            "    diff = preds - targets\n"
            "    return (diff * diff).sum() / len(diff.flatten())\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 3: perform_one_update
    Variant(
        "sub_and_grad_none",
        grade_id="perform_one_update",
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w.sub_(lr * w.grad)\n"
            "        b.sub_(lr * b.grad)\n"
            "    w.grad = None\n"
            "    b.grad = None\n"
            "    return loss.item()\n"
        ),
    ),
    Variant(
        "data_updates",
        grade_id="perform_one_update",
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    w.data -= lr * w.grad.data\n"
            "    b.data -= lr * b.grad.data\n"
            "    w.grad.data.zero_()\n"
            "    b.grad.data.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    Variant(
        "zero_before_backward",
        grade_id="perform_one_update",
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    for p in (w, b):\n"
            "        if p.grad is not None:  # None on the very first call\n"
            "            p.grad.zero_()\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        w -= lr * w.grad\n"
            "        b -= lr * b.grad\n"
            "    return loss.item()\n"
        ),
    ),
    Variant(
        "autograd_grad",
        grade_id="perform_one_update",
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    grad_w, grad_b = torch.autograd.grad(loss, [w, b])\n"
            "    with torch.no_grad():\n"
            "        w -= lr * grad_w\n"
            "        b -= lr * grad_b\n"
            "    return loss.item()\n"
        ),
    ),
    Variant(
        "loop_over_parameters",
        grade_id="perform_one_update",
        code=(
            "def perform_one_update(model, inputs, targets, w, b, lr=1e-5):\n"
            '    """One gradient-descent step on (inputs, targets); updates w and b in place.\n'
            "\n"
            "    Returns the loss measured before the update, as a Python float.\n"
            '    """\n'
            "    ### BEGIN SOLUTION\n"
            "    loss = mse(model(inputs), targets)\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        for p in (w, b):\n"
            "            p -= lr * p.grad\n"
            "            p.grad.zero_()\n"
            "    return loss.item()\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 4: train_with_GD
    Variant(
        "gd_inline_loss",
        grade_id="train_with_GD",
        code=(
            "def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """Full-batch gradient descent. Returns losses: list of `epochs` floats (full-data MSE after each epoch)."""\n'
            "    ### BEGIN SOLUTION\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perform_one_update(model, inputs, targets, w, b, lr)\n"
            "        losses.append(mse(model(inputs), targets).item())\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "sgd_dataloader",
        grade_id="train_with_SGD",
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets),\n"
            "                                             batch_size=1, shuffle=True)\n"
            "        for xb, yb in loader:\n"
            "            perform_one_update(model, xb, yb, w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "sgd_numpy_permutation",
        grade_id="train_with_SGD",
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = np.random.permutation(n).tolist()  # a fresh order every epoch\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "sgd_random_shuffle",
        grade_id="train_with_SGD",
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        order = list(range(n))\n"
            "        random.shuffle(order)\n"
            "        for i in order:\n"
            "            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "sgd_shuffled_copies",
        grade_id="train_with_SGD",
        code=(
            "def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):\n"
            '    """SGD, one row per update, fresh random order each epoch. Returns the list of per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n)\n"
            "        xs, ys = inputs[perm], targets[perm]\n"
            "        for i in range(n):\n"
            "            perform_one_update(model, xs[i:i + 1], ys[i:i + 1], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "mb_torch_split",
        grade_id="train_with_minibatchSGD",
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for idx in torch.split(perm, batch_size):\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "mb_dataloader",
        grade_id="train_with_minibatchSGD",
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets),\n"
            "                                             batch_size=batch_size, shuffle=True)\n"
            "        for xb, yb in loader:\n"
            "            perform_one_update(model, xb, yb, w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "mb_index_select",
        grade_id="train_with_minibatchSGD",
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.randperm(n, device=inputs.device)\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs.index_select(0, idx), targets.index_select(0, idx), w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    Variant(
        "mb_numpy_permutation",
        grade_id="train_with_minibatchSGD",
        code=(
            "def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):\n"
            '    """Mini-batch SGD (last smaller batch kept), fresh permutation each epoch. Returns per-epoch full-data losses."""\n'
            "    ### BEGIN SOLUTION\n"
            "    n = inputs.shape[0]\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        perm = torch.as_tensor(np.random.permutation(n), device=inputs.device)\n"
            "        for start in range(0, n, batch_size):\n"
            "            idx = perm[start:start + batch_size]  # the last batch may be smaller\n"
            "            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)\n"
            "        losses.append(evaluate_loss(model, inputs, targets))\n"
            "    return losses\n"
        ),
    ),
    # ---------------------------------------------------------------- Exercise 5: optimizers
    Variant(
        "momentum_sutskever_sign",
        grade_id="optimizers",
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = torch.zeros_like(p)\n"
            "                self.velocity[i].mul_(self.momentum).sub_(self.lr * g)  # v = mu v - lr g\n"
            "                p += self.velocity[i]\n"
        ),
    ),
    Variant(
        "momentum_ema_rescaled",
        grade_id="optimizers",
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = torch.zeros_like(p)  # EMA from zero\n"
            "                self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)\n"
            "                p -= self.lr / (1 - self.momentum) * self.velocity[i]\n"
        ),
    ),
    Variant(
        "velocity_starts_at_zero",
        grade_id="optimizers",
        code=(
            "class OptimMomentum(OptimSGD):\n"
            '    """Heavy-ball momentum, as torch.optim.SGD(params, lr, momentum)."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5, momentum=0.9):\n"
            "        ### BEGIN SOLUTION\n"
            "        super().__init__(params, lr)\n"
            "        self.momentum = momentum\n"
            "        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = torch.zeros_like(p)\n"
            "                self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * self.velocity[i]\n"
            "\n"
            "\n"
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = torch.zeros_like(p)\n"
            "                self.velocity[i].mul_(self.momentum).add_(g)\n"
            "                p -= self.lr * (g + self.momentum * self.velocity[i])\n"
        ),
    ),
    Variant(
        "nesterov_cs231n",
        grade_id="optimizers",
        code=(
            "class OptimNesterov(OptimMomentum):\n"
            '    """Nesterov momentum, as torch.optim.SGD(params, lr, momentum, nesterov=True)."""\n'
            "\n"
            "    def step(self):\n"
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for i, p in enumerate(self.params):\n"
            "                if p.grad is None:\n"
            "                    continue\n"
            "                g = p.grad\n"
            "                if self.velocity[i] is None:\n"
            "                    self.velocity[i] = torch.zeros_like(p)\n"
            "                v_prev = self.velocity[i].clone()\n"
            "                self.velocity[i].mul_(self.momentum).sub_(self.lr * g)  # v = mu v - lr g\n"
            "                p += -self.momentum * v_prev + (1 + self.momentum) * self.velocity[i]\n"
        ),
    ),
    Variant(
        "zero_grad_sets_none",
        grade_id="optimizers",
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for p in self.params:\n"
            "                if p.grad is not None:\n"
            "                    p -= self.lr * p.grad\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            p.grad = None\n"
        ),
    ),
    Variant(
        "sgd_data_add",
        grade_id="optimizers",
        code=(
            "class OptimSGD:\n"
            '    """Gradient descent on a list of parameters: p <- p - lr * p.grad."""\n'
            "\n"
            "    def __init__(self, params, lr=1e-5):\n"
            "        ### BEGIN SOLUTION\n"
            "        self.params = list(params)\n"
            "        self.lr = lr\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self):\n"
            '        """Update every parameter in place from its .grad (skip those whose .grad is None)."""\n'
            "        ### BEGIN SOLUTION\n"
            "        with torch.no_grad():\n"
            "            for p in self.params:\n"
            "                if p.grad is not None:\n"
            "                    p.data.add_(p.grad, alpha=-self.lr)\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def zero_grad(self):\n"
            '        """Reset the gradients of all the parameters."""\n'
            "        ### BEGIN SOLUTION\n"
            "        for p in self.params:\n"
            "            if p.grad is not None:\n"
            "                p.grad.zero_()\n"
        ),
    ),
]
