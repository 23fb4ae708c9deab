"""Does masking impossible classes with -inf (ours) or with 0 (the paper-era code) change accuracy?

The paper-era code multiplied the logits of classes ``>= q`` by 0; a task whose valid logits are all
negative then predicts an impossible class (its 0 logit wins the argmax).  We train with ``-inf`` and
re-score the same logits both ways.
"""

from __future__ import annotations

import torch

from .model import MiiiiTransformer, float64_copy, zero_masked_logits
from .tasks import TaskData


@torch.no_grad()
def accuracy_by_mask(model: MiiiiTransformer, data: TaskData) -> dict[str, torch.Tensor]:
    """Per-task accuracy of one model's logits under the ``-inf`` and the 0 mask, per split.

    Returns:
        dict with ``inf_train``, ``inf_valid``, ``zero_train``, ``zero_valid`` (each ``(n_tasks,)``
        accuracies) and ``impossible`` ``(n_tasks,)``: the share of all inputs whose 0-masked argmax is
        a class ``>= q``; ``changed`` ``(n_tasks,)`` int: how many inputs get a different prediction under
        the two masks (only an impossible class can win under the 0 mask, so these are the inputs
        predicted impossible); ``n_inputs``: the number of inputs; ``largest_logit`` ``(n_tasks,)``: the
        largest absolute valid logit over all inputs.  Where it is at rounding scale (an untrained
        unembedding decayed by weight decay, e.g. to 1e-41), ``impossible`` and ``changed`` are decided by
        the signs of rounding noise and differ between machines: report the size, not the count.
    """
    logits = float64_copy(model)(data.inputs)  # float64: the same argmax on every CPU
    zero = zero_masked_logits(logits, data.moduli)
    out: dict[str, torch.Tensor] = {}
    for name, lg in (("inf", logits), ("zero", zero)):
        correct = (lg.argmax(-1) == data.labels).float()
        out[f"{name}_train"] = correct[data.train_mask].mean(0)
        out[f"{name}_valid"] = correct[~data.train_mask].mean(0)
    impossible = zero.argmax(-1) >= torch.tensor(data.moduli)
    out["impossible"] = impossible.float().mean(0)
    out["changed"] = (zero.argmax(-1) != logits.argmax(-1)).sum(0)
    out["n_inputs"] = torch.tensor(len(data.inputs))
    valid = torch.arange(logits.shape[2])[None, :] < torch.tensor(list(data.moduli))[:, None]
    out["largest_logit"] = torch.where(valid, logits.abs(), torch.zeros(())).amax(dim=(0, 2))
    return out
