"""Known-wrong answers (MUTANTS) and unusual right answers (VARIANTS) for 02_linear_regression.

Each entry gives whole definitions (functions or classes) that replace the instructor's own of the same names in
one solution cell of source/02_linear_regression/02_linear_regression.ipynb (autograder.mutation), so an entry
survives any rewording of the solution. Every mutant is also caught by the notebook's visible check of its
exercise (visible=True), so that nbgrader's own grading agrees with the hidden grader. classic=True marks the
mistakes the course warns about (shuffling inputs without their targets, no shuffling, gradients never zeroed,
an update outside no_grad, an update that ignores the model it is given, a sum instead of a mean, a momentum
buffer shared between parameters or instances, torch.chunk as a batcher, ...): each must lose at least half of
its exercise's points, which the weights of autograder/checks/test_02_linear_regression.py ensure.
"""

from autograder.mutation import Mutant, Variant

MUTANTS = [
    # ------------------------------------------------------------ exercise 1: linear_model
    Mutant(
        "transpose_missing",
        grade_id="linear_model",
        visible=True,
        classic=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return inputs @ w + b

    return model
""",
    ),
    Mutant(
        "operands_swapped",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return w @ inputs.t() + b

    return model
""",
    ),
    Mutant(
        "bias_on_wrong_axis",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return inputs @ w.t() + b[:, None]

    return model
""",
    ),
    Mutant(
        "bias_missing",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return inputs @ w.t()

    return model
""",
    ),
    Mutant(
        "reshape_instead_of_transpose",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return inputs @ w.reshape(w.shape[1], w.shape[0]) + b

    return model
""",
    ),
    Mutant(
        "closure_captures_clones",
        grade_id="linear_model",
        hint="in-place updates",
        visible=True,
        classic=True,
        code="""\
def make_linear_model(w, b):
    w, b = w.clone(), b.clone()

    def model(inputs):
        return inputs @ w.t() + b

    return model
""",
    ),
    Mutant(
        "closure_captures_detached",
        grade_id="linear_model",
        visible=True,
        classic=True,
        code="""\
def make_linear_model(w, b):
    w, b = w.detach(), b.detach()

    def model(inputs):
        return inputs @ w.t() + b

    return model
""",
    ),
    Mutant(
        "inputs_argument_ignored",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(x):
        return inputs @ w.t() + b

    return model
""",
    ),
    Mutant(
        "course_data_hard_coded",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return torch.tensor([[73., 67., 43.], [91., 88., 64.], [87., 134., 58.], [102., 43., 37.], [69., 96., 70.]], dtype=w.dtype) @ w.t() + b

    return model
""",
    ),
    Mutant(
        "w_data_no_gradient",
        grade_id="linear_model",
        visible=True,
        classic=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return inputs @ w.data.t() + b.data

    return model
""",
    ),
    Mutant(
        "numpy_array_returned",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return (inputs @ w.t() + b).detach().numpy()

    return model
""",
    ),
    Mutant(
        "float32_forced",
        grade_id="linear_model",
        visible=True,
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return inputs.float() @ w.float().t() + b.float()

    return model
""",
    ),
    # ------------------------------------------------------------ exercise 2: mse
    Mutant(
        "sum_not_mean",
        grade_id="mse",
        hint="sum instead of mean",
        visible=True,
        classic=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).sum()
""",
    ),
    Mutant(
        "absolute_error",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return diff.abs().mean()
""",
    ),
    Mutant(
        "not_squared",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return diff.mean()
""",
    ),
    Mutant(
        "square_of_mean",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return diff.mean() ** 2
""",
    ),
    Mutant(
        "divided_by_rows_only",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).sum() / diff.shape[0]
""",
    ),
    Mutant(
        "divided_by_columns_only",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).sum() / diff.shape[1]
""",
    ),
    Mutant(
        "root_mean_square",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).mean().sqrt()
""",
    ),
    Mutant(
        "half_mse",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).mean() / 2
""",
    ),
    Mutant(
        "python_float_returned",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).mean().item()
""",
    ),
    Mutant(
        "vector_mean_over_dim0",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).mean(dim=0)
""",
    ),
    Mutant(
        "detached_loss",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).mean().detach()
""",
    ),
    Mutant(
        "numpy_loss",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    return np.mean((preds.detach().cpu().numpy() - targets.detach().cpu().numpy()) ** 2)
""",
    ),
    Mutant(
        "preds_modified_in_place",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds.sub_(targets)
    return (diff ** 2).mean()
""",
    ),
    Mutant(
        "two_d_only_divisor",
        grade_id="mse",
        hint="whatever the shape",
        visible=True,
        code="""\
def mse(preds, targets):
    return ((preds - targets) ** 2).sum() / (preds.shape[0] * preds.shape[1])
""",
    ),
    Mutant(
        "mean_over_first_two_axes",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    return ((preds - targets) ** 2).mean(dim=(0, 1))
""",
    ),
    Mutant(
        "float32_loss",
        grade_id="mse",
        visible=True,
        code="""\
def mse(preds, targets):
    return ((preds.float() - targets.float()) ** 2).mean()
""",
    ),
    Mutant(
        "mean_of_row_means_2d_only",
        grade_id="mse",
        hint="whatever the shape",
        visible=True,
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff ** 2).mean(dim=1).mean()
""",
    ),
    # ------------------------------------------------------------ exercise 3: perform_one_update
    Mutant(
        "update_outside_no_grad",
        grade_id="perform_one_update",
        visible=True,
        classic=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    w -= lr * w.grad
    b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    return loss.item()
""",
    ),
    Mutant(
        "grad_never_zeroed",
        grade_id="perform_one_update",
        hint="not zeroed",
        visible=True,
        classic=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    return loss.item()
""",
    ),
    Mutant(
        "only_w_grad_zeroed",
        grade_id="perform_one_update",
        visible=True,
        classic=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
    return loss.item()
""",
    ),
    Mutant(
        "grad_zeroed_before_step",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w.grad.zero_()
        b.grad.zero_()
        w -= lr * w.grad
        b -= lr * b.grad
    return loss.item()
""",
    ),
    Mutant(
        "rebinding_not_in_place",
        grade_id="perform_one_update",
        visible=True,
        classic=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w = w - lr * w.grad
        b = b - lr * b.grad
    return loss.item()
""",
    ),
    Mutant(
        "wrong_sign",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w += lr * w.grad
        b += lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss.item()
""",
    ),
    Mutant(
        "lr_argument_ignored",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= 1e-5 * w.grad
        b -= 1e-5 * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss.item()
""",
    ),
    Mutant(
        "bias_not_updated",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss.item()
""",
    ),
    Mutant(
        "w_detached_afterwards",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    w.detach_()
    return loss.item()
""",
    ),
    Mutant(
        "loss_returned_as_tensor",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss
""",
    ),
    Mutant(
        "loss_after_update_returned",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return mse(model(inputs), targets).item()
""",
    ),
    Mutant(
        "nothing_returned",
        grade_id="perform_one_update",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
""",
    ),
    Mutant(
        "model_argument_ignored",
        grade_id="perform_one_update",
        hint="use the model you are given",
        visible=True,
        classic=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(inputs @ w.t() + b, targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss.item()
""",
    ),
    Mutant(
        "default_lr_wrong",
        grade_id="perform_one_update",
        hint="lr=1e-5",
        visible=True,
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-4):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss.item()
""",
    ),
    Mutant(
        "update_reads_global_model",
        grade_id="perform_one_update",
        visible=True,
        classic=True,
        code="""\
def perform_one_update(net, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss.item()
""",
    ),
    # ------------------------------------------------------------ exercise 4: train_with_GD
    Mutant(
        "gd_one_epoch_short",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs - 1):
        perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "gd_one_epoch_too_many",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs + 1):
        perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "gd_losses_before_update",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs):
        losses.append(perform_one_update(model, inputs, targets, w, b, lr))
    return losses
""",
    ),
    Mutant(
        "gd_lr_not_passed_on",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs):
        perform_one_update(model, inputs, targets, w, b)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "gd_losses_as_tensors",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs):
        perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(mse(model(inputs), targets))
    return losses
""",
    ),
    Mutant(
        "gd_nothing_returned",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs):
        perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
""",
    ),
    Mutant(
        "gd_default_epochs_wrong",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=10, lr=1e-5):
    losses = []
    for epoch in range(epochs):
        perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "gd_default_lr_wrong",
        grade_id="train_with_GD",
        visible=True,
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-4):
    losses = []
    for epoch in range(epochs):
        perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    # ------------------------------------------------------------ exercise 4: train_with_SGD
    Mutant(
        "sgd_one_epoch_short",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs - 1):
        order = torch.randperm(n).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_no_shuffle",
        grade_id="train_with_SGD",
        visible=True,
        classic=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = list(range(n))  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_shuffled_once",
        grade_id="train_with_SGD",
        visible=True,
        classic=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    order = torch.randperm(n).tolist()  # drawn once
    for epoch in range(epochs):
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_inputs_shuffled_without_targets",
        grade_id="train_with_SGD",
        hint="shuffled without their targets",
        visible=True,
        classic=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n).tolist()  # a fresh order every epoch
        for k, i in enumerate(order):
            perform_one_update(model, inputs[i:i + 1], targets[k:k + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_sampling_with_replacement",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randint(n, (n,)).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_last_sample_dropped",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n - 1).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_caller_data_shuffled_in_place",
        grade_id="train_with_SGD",
        visible=True,
        classic=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n)
        inputs.copy_(inputs[perm])
        targets.copy_(targets[perm])
        for i in range(n):
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_numpy_shuffle_of_inputs",
        grade_id="train_with_SGD",
        visible=True,
        classic=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        np.random.shuffle(inputs)
        for i in range(n):
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_full_batch_updates",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_lr_not_passed_on",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_losses_averaged_over_samples",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n).tolist()  # a fresh order every epoch
        sample_losses = [perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
                         for i in order]
        losses.append(sum(sample_losses) / n)
    return losses
""",
    ),
    Mutant(
        "sgd_default_lr_wrong",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_default_epochs_wrong",
        grade_id="train_with_SGD",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=50, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_rows_as_vectors",
        grade_id="train_with_SGD",
        hint="inputs[i:i + 1]",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        for i in torch.randperm(n).tolist():
            perform_one_update(model, inputs[i], targets[i], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "sgd_batches_moved_to_cpu",
        grade_id="train_with_SGD",
        hint="no longer on the data's device",
        visible=True,
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        for i in torch.randperm(n).tolist():
            perform_one_update(model, inputs[i:i + 1].cpu(), targets[i:i + 1].cpu(), w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    # ------------------------------------------------------------ exercise 4: train_with_minibatchSGD
    Mutant(
        "mb_one_epoch_short",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs - 1):
        perm = torch.randperm(n, device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_last_partial_batch_dropped",
        grade_id="train_with_minibatchSGD",
        visible=True,
        classic=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for start in range(0, n - batch_size + 1, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_overlapping_batches",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for start in range(0, n - batch_size + 1):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_no_shuffle",
        grade_id="train_with_minibatchSGD",
        visible=True,
        classic=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.arange(n, device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_shuffled_once",
        grade_id="train_with_minibatchSGD",
        visible=True,
        classic=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    perm = torch.randperm(n, device=inputs.device)
    for epoch in range(epochs):
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_sampling_with_replacement",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randint(n, (n,), device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_inputs_shuffled_without_targets",
        grade_id="train_with_minibatchSGD",
        hint="shuffled without their targets",
        visible=True,
        classic=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[start:start + batch_size], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_chunk_count_floor_division",
        grade_id="train_with_minibatchSGD",
        hint="torch.chunk",
        visible=True,
        classic=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for idx in torch.chunk(perm, n // batch_size):
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_batch_size_hard_coded",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for start in range(0, n, 4):
            idx = perm[start:start + 4]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_caller_data_shuffled_in_place",
        grade_id="train_with_minibatchSGD",
        visible=True,
        classic=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        inputs[:] = inputs[perm]
        targets[:] = targets[perm]
        perm = torch.arange(n, device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_default_batch_size_wrong",
        grade_id="train_with_minibatchSGD",
        visible=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=3):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Mutant(
        "mb_numpy_batches",
        grade_id="train_with_minibatchSGD",
        hint="NumPy",
        visible=True,
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    x, y = inputs.numpy(), targets.numpy()  # fine on a CPU, fails on a GPU
    n = len(x)
    losses = []
    for epoch in range(epochs):
        perm = np.random.permutation(n)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            perform_one_update(model, torch.from_numpy(x[idx]), torch.from_numpy(y[idx]), w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    # ------------------------------------------------------------ exercise 5: optimizers
    Mutant(
        "sgd_step_wrong_sign",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p += self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
""",
    ),
    Mutant(
        "sgd_step_lr_ignored",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p -= 1e-5 * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
""",
    ),
    Mutant(
        "sgd_step_rebinds",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p = p - self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
""",
    ),
    Mutant(
        "sgd_step_outside_no_grad",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        for p in self.params:
            if p.grad is not None:
                p -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
""",
    ),
    Mutant(
        "zero_grad_does_nothing",
        grade_id="optimizers",
        visible=True,
        classic=True,
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                pass
""",
    ),
    Mutant(
        "params_iterable_not_stored_as_list",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = params
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
""",
    ),
    Mutant(
        "velocity_not_kept",
        grade_id="optimizers",
        hint="velocity",
        visible=True,
        classic=True,
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i] = g.clone()
                p -= self.lr * self.velocity[i]


class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i] = g.clone()
                p -= self.lr * (g + self.momentum * self.velocity[i])
""",
    ),
    Mutant(
        "velocity_shared_between_instances",
        grade_id="optimizers",
        hint="its own velocity",
        visible=True,
        classic=True,
        code="""\
class OptimMomentum(OptimSGD):

    velocity = [None, None]  # class attribute: one list shared by every instance

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * self.velocity[i]
""",
    ),
    Mutant(
        "momentum_applied_to_gradient",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].add_(self.momentum * g)
                p -= self.lr * self.velocity[i]


class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].add_(self.momentum * g)
                p -= self.lr * (g + self.momentum * self.velocity[i])
""",
    ),
    Mutant(
        "velocity_aliased_to_grad",
        grade_id="optimizers",
        visible=True,
        classic=True,
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g
                else:
                    self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * self.velocity[i]


class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g
                else:
                    self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * (g + self.momentum * self.velocity[i])
""",
    ),
    Mutant(
        "momentum_step_one_velocity_late",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = torch.zeros_like(p)
                p -= self.lr * self.velocity[i]
                self.velocity[i].mul_(self.momentum).add_(g)
""",
    ),
    Mutant(
        "momentum_hard_coded",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(0.9).add_(g)
                p -= self.lr * self.velocity[i]


class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(0.9).add_(g)
                p -= self.lr * (g + self.momentum * self.velocity[i])
""",
    ),
    Mutant(
        "ema_velocity_without_rescaling",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)
                p -= self.lr * self.velocity[i]


class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)
                p -= self.lr * (g + self.momentum * self.velocity[i])
""",
    ),
    Mutant(
        "ema_velocity_started_at_g",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)
                p -= self.lr / (1 - self.momentum) * self.velocity[i]
""",
    ),
    Mutant(
        "nesterov_as_plain_momentum",
        grade_id="optimizers",
        hint="Nesterov",
        visible=True,
        code="""\
class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * self.velocity[i]
""",
    ),
    Mutant(
        "nesterov_wrong_sign",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * (g - self.momentum * self.velocity[i])
""",
    ),
    Mutant(
        "nesterov_velocity_instead_of_gradient",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = g.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * (self.velocity[i] + self.momentum * self.velocity[i])
""",
    ),
    Mutant(
        "nesterov_uses_previous_velocity",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = torch.zeros_like(p)
                p -= self.lr * (g + self.momentum * self.velocity[i])
                self.velocity[i].mul_(self.momentum).add_(g)
""",
    ),
    Mutant(
        "default_momentum_wrong",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimMomentum(OptimSGD):
    def __init__(self, params, lr=1e-5, momentum=0.5):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                if self.velocity[i] is None:
                    self.velocity[i] = p.grad.clone()
                else:
                    self.velocity[i].mul_(self.momentum).add_(p.grad)
                p -= self.lr * self.velocity[i]
""",
    ),
    Mutant(
        "velocity_one_for_all_parameters",
        grade_id="optimizers",
        visible=True,
        classic=True,
        code="""\
class OptimMomentum(OptimSGD):
    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = None  # one buffer, whatever the number of parameters

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is None:
                    continue
                if self.velocity is None or self.velocity.shape != p.shape:
                    self.velocity = p.grad.clone()
                else:
                    self.velocity.mul_(self.momentum).add_(p.grad)
                p -= self.lr * self.velocity


class OptimNesterov(OptimMomentum):
    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is None:
                    continue
                if self.velocity is None or self.velocity.shape != p.shape:
                    self.velocity = p.grad.clone()
                else:
                    self.velocity.mul_(self.momentum).add_(p.grad)
                p -= self.lr * (p.grad + self.momentum * self.velocity)
""",
    ),
    Mutant(
        "none_grad_not_skipped",
        grade_id="optimizers",
        visible=True,
        code="""\
class OptimSGD:
    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                p -= self.lr * (p.grad if p.grad is not None else torch.ones_like(p))

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
""",
    ),
]

VARIANTS = [
    # ------------------------------------------------------------ exercise 1: linear_model
    Variant(
        "f_linear",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return torch.nn.functional.linear(inputs, w, b)

    return model
""",
    ),
    Variant(
        "matmul_capital_T",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return torch.matmul(inputs, w.T) + b

    return model
""",
    ),
    Variant(
        "einsum",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return torch.einsum("nd,kd->nk", inputs, w) + b

    return model
""",
    ),
    Variant(
        "addmm",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return torch.addmm(b, inputs, w.t())

    return model
""",
    ),
    Variant(
        "mm_then_add",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return inputs.mm(w.t()).add(b)

    return model
""",
    ),
    Variant(
        "swapped_then_transposed",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return (w @ inputs.t()).t() + b

    return model
""",
    ),
    Variant(
        "broadcast_multiply_sum",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    def model(inputs):
        return (inputs[:, None, :] * w[None, :, :]).sum(dim=-1) + b

    return model
""",
    ),
    Variant(
        "lambda_closure",
        grade_id="linear_model",
        code="""\
def make_linear_model(w, b):
    return lambda inputs: inputs @ w.t() + b
""",
    ),
    # ------------------------------------------------------------ exercise 2: mse
    Variant(
        "f_mse_loss",
        grade_id="mse",
        code="""\
def mse(preds, targets):
    return torch.nn.functional.mse_loss(preds, targets)
""",
    ),
    Variant(
        "nn_MSELoss",
        grade_id="mse",
        code="""\
def mse(preds, targets):
    return torch.nn.MSELoss()(preds, targets)
""",
    ),
    Variant(
        "pow_sum_over_numel",
        grade_id="mse",
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return diff.pow(2).sum() / diff.numel()
""",
    ),
    Variant(
        "targets_minus_preds",
        grade_id="mse",
        code="""\
def mse(preds, targets):
    diff = targets - preds
    return (diff ** 2).mean()
""",
    ),
    Variant(
        "torch_square",
        grade_id="mse",
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return torch.mean(torch.square(diff))
""",
    ),
    Variant(
        "diff_times_diff",
        grade_id="mse",
        code="""\
def mse(preds, targets):
    diff = preds - targets
    return (diff * diff).sum() / len(diff.flatten())
""",
    ),
    Variant(
        "sum_over_numel_any_shape",
        grade_id="mse",
        code="""\
def mse(preds, targets):
    return torch.sum(torch.square(preds - targets)) / max(preds.numel(), 1)
""",
    ),
    # ------------------------------------------------------------ exercise 3: perform_one_update
    Variant(
        "sub_and_grad_none",
        grade_id="perform_one_update",
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w.sub_(lr * w.grad)
        b.sub_(lr * b.grad)
    w.grad = None
    b.grad = None
    return loss.item()
""",
    ),
    Variant(
        "data_updates",
        grade_id="perform_one_update",
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    w.data -= lr * w.grad.data
    b.data -= lr * b.grad.data
    w.grad.data.zero_()
    b.grad.data.zero_()
    return loss.item()
""",
    ),
    Variant(
        "zero_before_backward",
        grade_id="perform_one_update",
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    for p in (w, b):
        if p.grad is not None:  # None on the very first call
            p.grad.zero_()
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    return loss.item()
""",
    ),
    Variant(
        "autograd_grad",
        grade_id="perform_one_update",
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    grad_w, grad_b = torch.autograd.grad(loss, [w, b])
    with torch.no_grad():
        w -= lr * grad_w
        b -= lr * grad_b
    return loss.item()
""",
    ),
    Variant(
        "loop_over_parameters",
        grade_id="perform_one_update",
        code="""\
def perform_one_update(model, inputs, targets, w, b, lr=1e-5):
    loss = mse(model(inputs), targets)
    loss.backward()
    with torch.no_grad():
        for p in (w, b):
            p -= lr * p.grad
            p.grad.zero_()
    return loss.item()
""",
    ),
    # ------------------------------------------------------------ exercise 4: train_with_GD
    Variant(
        "gd_inline_loss",
        grade_id="train_with_GD",
        code="""\
def train_with_GD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs):
        perform_one_update(model, inputs, targets, w, b, lr)
        losses.append(mse(model(inputs), targets).item())
    return losses
""",
    ),
    # ------------------------------------------------------------ exercise 4: train_with_SGD
    Variant(
        "sgd_dataloader",
        grade_id="train_with_SGD",
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets),
                                             batch_size=1, shuffle=True)
        for xb, yb in loader:
            perform_one_update(model, xb, yb, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "sgd_numpy_permutation",
        grade_id="train_with_SGD",
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = np.random.permutation(n).tolist()  # a fresh order every epoch
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "sgd_random_shuffle",
        grade_id="train_with_SGD",
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        order = list(range(n))
        random.shuffle(order)
        for i in order:
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "sgd_shuffled_copies",
        grade_id="train_with_SGD",
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n)
        xs, ys = inputs[perm], targets[perm]
        for i in range(n):
            perform_one_update(model, xs[i:i + 1], ys[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "sgd_device_permutation",
        grade_id="train_with_SGD",
        code="""\
def train_with_SGD(model, inputs, targets, w, b, epochs=100, lr=1e-5):
    losses = []
    for epoch in range(epochs):
        for i in torch.randperm(len(inputs), device=inputs.device):
            perform_one_update(model, inputs[i:i + 1], targets[i:i + 1], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    # ------------------------------------------------------------ exercise 4: train_with_minibatchSGD
    Variant(
        "mb_torch_split",
        grade_id="train_with_minibatchSGD",
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for idx in torch.split(perm, batch_size):
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "mb_dataloader",
        grade_id="train_with_minibatchSGD",
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets),
                                             batch_size=batch_size, shuffle=True)
        for xb, yb in loader:
            perform_one_update(model, xb, yb, w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "mb_index_select",
        grade_id="train_with_minibatchSGD",
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n, device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs.index_select(0, idx), targets.index_select(0, idx), w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "mb_numpy_permutation",
        grade_id="train_with_minibatchSGD",
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.as_tensor(np.random.permutation(n), device=inputs.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]  # the last batch may be smaller
            perform_one_update(model, inputs[idx], targets[idx], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    Variant(
        "mb_cpu_permutation",
        grade_id="train_with_minibatchSGD",
        code="""\
def train_with_minibatchSGD(model, inputs, targets, w, b, epochs=100, lr=1e-5, batch_size=4):
    n = inputs.shape[0]
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n)  # on the CPU: indexing GPU data with it works too
        for batch in perm.split(batch_size):
            perform_one_update(model, inputs[batch], targets[batch], w, b, lr)
        losses.append(evaluate_loss(model, inputs, targets))
    return losses
""",
    ),
    # ------------------------------------------------------------ exercise 5: optimizers
    Variant(
        "momentum_sutskever_sign",
        grade_id="optimizers",
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = torch.zeros_like(p)
                self.velocity[i].mul_(self.momentum).sub_(self.lr * g)  # v = mu v - lr g
                p += self.velocity[i]
""",
    ),
    Variant(
        "momentum_ema_rescaled",
        grade_id="optimizers",
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = torch.zeros_like(p)  # EMA from zero
                self.velocity[i].mul_(self.momentum).add_((1 - self.momentum) * g)
                p -= self.lr / (1 - self.momentum) * self.velocity[i]
""",
    ),
    Variant(
        "velocity_starts_at_zero",
        grade_id="optimizers",
        code="""\
class OptimMomentum(OptimSGD):

    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)  # one buffer per parameter, per instance

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = torch.zeros_like(p)
                self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * self.velocity[i]


class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = torch.zeros_like(p)
                self.velocity[i].mul_(self.momentum).add_(g)
                p -= self.lr * (g + self.momentum * self.velocity[i])
""",
    ),
    Variant(
        "nesterov_cs231n",
        grade_id="optimizers",
        code="""\
class OptimNesterov(OptimMomentum):

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = p.grad
                if self.velocity[i] is None:
                    self.velocity[i] = torch.zeros_like(p)
                v_prev = self.velocity[i].clone()
                self.velocity[i].mul_(self.momentum).sub_(self.lr * g)  # v = mu v - lr g
                p += -self.momentum * v_prev + (1 + self.momentum) * self.velocity[i]
""",
    ),
    Variant(
        "zero_grad_sets_none",
        grade_id="optimizers",
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            p.grad = None
""",
    ),
    Variant(
        "sgd_data_add",
        grade_id="optimizers",
        code="""\
class OptimSGD:

    def __init__(self, params, lr=1e-5):
        self.params = list(params)
        self.lr = lr

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p.data.add_(p.grad, alpha=-self.lr)

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
""",
    ),
    Variant(
        "velocity_dict_by_index",
        grade_id="optimizers",
        code="""\
class OptimMomentum(OptimSGD):
    def __init__(self, params, lr=1e-5, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = momentum
        self.state = {}

    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                buf = self.state.get(i)
                self.state[i] = p.grad.detach().clone() if buf is None else buf * self.momentum + p.grad
                p.sub_(self.lr * self.state[i])


class OptimNesterov(OptimMomentum):
    def step(self):
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                buf = self.state.get(i)
                self.state[i] = p.grad.detach().clone() if buf is None else buf * self.momentum + p.grad
                p.sub_(self.lr * (p.grad + self.momentum * self.state[i]))
""",
    ),
]
