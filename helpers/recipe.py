"""The course's answer as code: put every filter of a layer back on its constraint.

:func:`project_filters` is the after-step hook of the answer in notebook 07, written to be
pasted into any PyTorch training loop: call it once after building the model (the initial
filters are not on the constraint) and then after every ``optimizer.step()``. A *filter* is
one output row of the weight, ``weight[k]``, of ``C_in * k_h * k_w`` taps: its sum runs over
all its input channels.

Each branch is the closest point of its set (projected SGD):

* ``"sum one"``: shift every tap by the same amount, ``w - (sum(w) - 1) / n`` (not ``w /
  sum(w)``, which is not the closest point and blows up when the sum is near zero);
* ``"sum zero"``: ``w - mean(w)``, the centring step of Weight Standardization (Qiao et al.
  2019), applied as a projection; WS itself also divides by the standard deviation, inside the
  forward pass;
* ``"unit norm"``: ``w / ||w||`` (a zero filter, which has no closest unit vector, stays zero);
* ``"simplex"``: non-negative taps that sum to one, the set of true blur kernels:
  ``max(w - theta, 0)`` with the one ``theta`` that makes the sum one, found by sorting
  (Duchi et al. 2008).
"""

from __future__ import annotations

import torch

TARGETS = ("sum one", "sum zero", "unit norm", "simplex")
"""The constraints :func:`project_filters` knows."""


def project_filters(layer: torch.nn.Module, target: str) -> None:
    """Move each filter of ``layer.weight`` to the closest point of ``target``, in place.

    Call once before training, then after every ``optimizer.step()``. Works for any layer
    whose weight has the output filters on its first axis (``Conv1d``, ``Conv2d``, ``Linear``).
    Refuses a weight that is not a Parameter (a parametrized one, as weight normalization
    makes it): it is computed afresh from other tensors, so editing it in place would
    silently change nothing.
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
    weight = getattr(layer, "weight", None)
    if not isinstance(weight, torch.Tensor):
        raise TypeError(f"layer must have a weight tensor, got {type(layer).__name__}")
    if not isinstance(weight, torch.nn.Parameter):
        raise TypeError(
            "layer.weight is computed (a parametrization?), not a Parameter: editing it would "
            "change nothing; constrain the tensor it is computed from instead"
        )
    if weight.ndim < 2 or weight.numel() == 0:
        raise ValueError(
            f"layer.weight must hold filters along its first axis (at least 2 dimensions, not "
            f"empty), got shape {tuple(weight.shape)}"
        )
    if not torch.isfinite(weight).all():
        raise ValueError("layer.weight holds NaN or infinite values (has training diverged?)")
    with torch.no_grad():  # an edit of the weights, not a step the gradient should see
        w = weight.view(len(weight), -1)  # one row per filter: C_in * k_h * k_w taps
        projected = _project_rows(w.double(), target)
        if not torch.isfinite(projected).all():
            raise ValueError(
                f"layer.weight is too large to project (up to {w.abs().max().item():.3g}): "
                f"the closest point of {target!r} is beyond float64 (has training diverged?)"
            )
        w.copy_(projected)


def _project_rows(w: torch.Tensor, target: str) -> torch.Tensor:
    """Each row of ``w`` (float64) moved to its closest point of ``target``.

    Each row is first divided by its largest magnitude where that matters, so that float32
    weights of 3e38 (whose sum overflows) or 1e-30 (whose squares underflow) still work.
    """
    n = w.shape[1]
    largest = w.abs().amax(dim=1, keepdim=True).clamp_min(torch.finfo(w.dtype).tiny)
    if target in ("sum one", "sum zero"):
        mean = (w / largest).mean(dim=1, keepdim=True) * largest
        return w - mean + (1 / n if target == "sum one" else 0)
    if target == "unit norm":
        scaled = w / largest
        return scaled / scaled.norm(dim=1, keepdim=True).clamp_min(1e-12)  # zero stays zero
    # the simplex: sort, find how many taps stay positive, subtract one threshold. Shifting a
    # row does not move its projection, and taps more than 1 below the top one end at 0
    # (the threshold is at least top - 1): shift, and clip those at -2, so no sum overflows
    shifted = w - w.amax(dim=1, keepdim=True)
    s = shifted.clamp_min(-2).sort(dim=1, descending=True).values
    thresholds = (s.cumsum(dim=1) - 1) / torch.arange(1, n + 1, dtype=w.dtype)
    kept = (s > thresholds).sum(dim=1, keepdim=True)  # at least 1
    return (shifted - thresholds.gather(1, kept - 1)).clamp_min(0)
