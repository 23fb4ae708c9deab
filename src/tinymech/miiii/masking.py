"""Does masking impossible classes with -inf (ours) or with 0 (the paper-era code) change accuracy?

The paper-era code multiplied the logits of classes ``>= q`` by 0; a task whose valid logits are all
negative then predicts an impossible class (its 0 logit wins the argmax).  We train with ``-inf`` and
re-score the same logits both ways.
"""

from __future__ import annotations

import torch

from .model import MiiiiTransformer, zero_masked_logits
from .tasks import TaskData


@torch.no_grad()
def accuracy_by_mask(model: MiiiiTransformer, data: TaskData) -> dict[str, torch.Tensor]:
    """Per-task accuracy of one model's logits under the ``-inf`` and the 0 mask, per split.

    Returns:
        dict with ``inf_train``, ``inf_valid``, ``zero_train``, ``zero_valid`` (each ``(n_tasks,)``
        accuracies) and ``impossible`` ``(n_tasks,)``: the share of all inputs whose 0-masked argmax is
        a class ``>= q``.
    """
    model.eval()
    logits = model(data.inputs)
    zero = zero_masked_logits(logits, data.moduli)
    out: dict[str, torch.Tensor] = {}
    for name, lg in (("inf", logits), ("zero", zero)):
        correct = (lg.argmax(-1) == data.labels).float()
        out[f"{name}_train"] = correct[data.train_mask].mean(0)
        out[f"{name}_valid"] = correct[~data.train_mask].mean(0)
    out["impossible"] = (zero.argmax(-1) >= torch.tensor(data.moduli)).float().mean(0)
    return out
