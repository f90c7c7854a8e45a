"""Constraining the filters of a layer: projections after each step, or reparametrizations.

A filter is one output row of a layer's weight, ``weight[k]`` of shape ``(C_in, k_h, k_w)``,
flattened to ``n = C_in * k_h * k_w`` entries. Two ways to keep every filter on a set:

* **Projection** (projected SGD): let the optimizer step, then move each filter to the
  closest point of the set, in place, under ``torch.no_grad()``. :func:`project_` does it
  once; :class:`Projection` is the hook a training loop calls after every
  ``optimizer.step()``.
* **Reparametrization**: train an unconstrained tensor ``v`` and compute the weight as
  ``w = p(v)`` inside the forward pass (``torch.nn.utils.parametrize``; Salimans & Kingma
  2016 for weight normalization). :func:`reparametrize` registers :class:`UnitNorm`,
  :class:`SumOne`, :class:`Standardized` or weight normalization;
  :func:`reparametrized_optimizer` registers it and builds the optimizer in one call.

The sets (``kind``) and their closest points, for a filter ``w`` of ``n`` entries:

* ``"unit_norm"``, ``{||w|| = 1}``: ``w / ||w||``;
* ``"sum_one"``, ``{sum(w) = 1}``, a hyperplane with normal ``(1, ..., 1)``:
  ``w - mean(w) + 1/n`` (not ``w / sum(w)``, which is not the closest point and blows up
  when the sum is near zero);
* ``"sum_zero"``, ``{sum(w) = 0}``: ``w - mean(w)``, the filter centred;
* ``"max_norm"``, ``{||w|| <= c}`` (Srivastava et al. 2014): ``w * min(1, c / ||w||)``;
* ``"standardized"``, ``{sum(w) = 0, ||w|| = 1}``: centre, then divide by the norm. This is
  Weight Standardization (Qiao et al. 2019), which divides by the standard deviation, so
  its filters have norm ``sqrt(n)`` instead of 1; Scaled WS (Brock et al. 2021) divides by
  ``sqrt(n)`` times it and multiplies by a gain, and centred weight normalization (Huang et
  al. 2017) is the same map with a learned length;
* ``"simplex"``, ``{w >= 0, sum(w) = 1}``, the blur kernels: ``max(w - theta, 0)`` with the
  one ``theta`` that makes the sum one (Duchi et al. 2008).

Every projection refuses NaN or infinite filters and filters for which it is undefined (a
zero filter has no direction), works without overflow on huge entries (a float32 filter
``[3e38, 3e38]`` goes to ``[0.707, 0.707]``), and raises rather than return a value its dtype
cannot hold.

Three traps, each made impossible or caught with a clear error here:

* an optimizer built before a parametrization is registered may hold an old tensor that no
  longer gets a gradient: training silently changes nothing (with weight normalization it
  does; a one-tensor parametrization keeps the old Parameter object, which torch refills
  with ``set_``). :func:`check_optimizer` raises when the optimizer's tensors are not the
  model's; :func:`reparametrized_optimizer` builds the optimizer after registering;
* an in-place edit of a parametrized weight changes a temporary copy and does nothing:
  :func:`project_` and :class:`Projection` raise on a parametrized layer;
* the optimizer's state (the SGD momentum buffer, Adam's first moment) keeps the component
  of past gradients that points off the set. :class:`Projection` measures how far each
  projection moves the filters (:attr:`Projection.distances`) and can remove that component
  from the state after each projection (``tangent_state=True``, see :func:`remove_normal_`).
  For the affine sets (sum one, sum zero) this changes nothing at all: the projection of the
  step already removes it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable

import torch
from torch import nn
from torch.nn.utils import parametrize

KINDS = ("unit_norm", "sum_one", "sum_zero", "max_norm", "standardized", "simplex")
TANGENT_KINDS = ("unit_norm", "sum_one", "sum_zero", "max_norm", "standardized")
"""The sets for which :func:`remove_normal_` is defined (their tangent space is a subspace)."""
REPARAMETRIZATIONS = ("unit_norm", "sum_one", "standardized", "weight_norm")

OptimizerFactory = Callable[[Iterable[nn.Parameter]], torch.optim.Optimizer]


def _rows(weight: torch.Tensor, name: str = "weight") -> torch.Tensor:
    """The weight as one row per output filter, shape (out, n)."""
    if not isinstance(weight, torch.Tensor):
        raise TypeError(f"{name} must be a torch tensor, got {type(weight).__name__}")
    if weight.ndim < 2:
        raise ValueError(
            f"{name} must have the output filters on its first axis (at least 2-D), "
            f"got shape {tuple(weight.shape)}"
        )
    if weight.numel() == 0:
        raise ValueError(
            f"{name} must hold at least one filter of at least one entry, got shape "
            f"{tuple(weight.shape)}"
        )
    return weight.reshape(weight.shape[0], -1)


def _finite_rows(weight: torch.Tensor, name: str = "weight") -> torch.Tensor:
    """The rows of a floating-point weight without NaN or infinity, or a clear error."""
    rows = _rows(weight, name)
    if not weight.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got {weight.dtype}")
    finite = torch.isfinite(rows).all(dim=1)
    if not bool(finite.all()):
        bad = int(torch.nonzero(~finite)[0])
        raise ValueError(f"{name}: filter {bad} holds NaN or infinite values")
    return rows


def _too_large(weight: torch.Tensor) -> str:
    """The end of an overflow message: the dtype, and what to do."""
    advice = "" if weight.dtype == torch.float64 else "; convert the weight to float64 first"
    return f"{weight.dtype}: its entries are too large{advice}"


def _checked(result: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """The projected rows reshaped like ``weight``, refused if they overflowed its dtype."""
    if not bool(torch.isfinite(result).all()):
        raise ValueError(f"the projection of this weight overflows {_too_large(weight)}")
    return result.reshape(weight.shape)


def _mean(rows: torch.Tensor) -> torch.Tensor:
    """The mean of each row, (out, 1), without overflowing on huge entries."""
    return (rows / rows.shape[1]).sum(dim=1, keepdim=True)


def _direction(rows: torch.Tensor, what: str) -> torch.Tensor:
    """Each row divided by its L2 norm, computed without overflow or underflow."""
    scale = rows.abs().amax(dim=1, keepdim=True)
    if bool((scale == 0).any()):
        zero = int(torch.nonzero(scale.flatten() == 0)[0])
        raise ValueError(f"filter {zero} is {what}: its direction is undefined")
    scaled = rows / scale
    return scaled / torch.linalg.vector_norm(scaled, dim=1, keepdim=True)


def _scaled_reduction(
    weight: torch.Tensor, reduce: Callable[[torch.Tensor], torch.Tensor], what: str
) -> torch.Tensor:
    """``reduce`` of each filter, homogeneous of degree one, without overflow or underflow.

    Each row is divided by the power of two nearest above its largest entry (exact), reduced,
    and multiplied back; a result the weight's dtype cannot hold is refused.
    """
    rows = _finite_rows(weight)
    exponent = torch.frexp(rows.abs().amax(dim=1)).exponent
    scaled = torch.ldexp(rows, -exponent.unsqueeze(1))
    result = torch.ldexp(reduce(scaled), exponent)
    if not bool(torch.isfinite(result).all()):
        bad = int(torch.nonzero(~torch.isfinite(result))[0])
        raise ValueError(f"the {what} of filter {bad} overflows {_too_large(weight)}")
    return result


def filter_sums(weight: torch.Tensor) -> torch.Tensor:
    """The sum of each output filter, shape (out,).

    Raises ``ValueError`` for a filter holding NaN or infinity, or whose sum the weight's
    dtype cannot hold (float32 ``[3e38, 3e38]``); huge entries that cancel are summed right.
    """
    return _scaled_reduction(weight, lambda rows: rows.sum(dim=1), "sum")


def filter_norms(weight: torch.Tensor) -> torch.Tensor:
    """The L2 norm of each output filter, shape (out,).

    Computed without overflow or underflow of the squares (float32 ``[1e20, 1e20]`` has norm
    ``1.41e20``, ``[1e-30, 1e-30]`` has ``1.41e-30``); raises ``ValueError`` for a filter
    holding NaN or infinity, or whose norm the weight's dtype cannot hold.
    """
    return _scaled_reduction(weight, lambda rows: torch.linalg.vector_norm(rows, dim=1), "norm")


def _check_kind(kind: str, kinds: tuple[str, ...], name: str = "kind") -> None:
    if not isinstance(kind, str) or kind not in kinds:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, kinds))}, got {kind!r}")


def _check_radius(radius: float) -> None:
    if isinstance(radius, bool) or not isinstance(radius, numbers.Real):
        raise TypeError(
            f"radius (the max-norm bound c) must be a number, got {type(radius).__name__} "
            f"{radius!r}"
        )
    if not (math.isfinite(radius) and radius > 0):
        raise ValueError(f"radius (the max-norm bound c) must be finite and positive, got {radius}")


def unit_norm(weight: torch.Tensor) -> torch.Tensor:
    """Each output filter divided by its L2 norm: the closest point of unit norm.

    Raises ``ValueError`` if a filter is zero (every unit vector is then equally close).
    """
    rows = _finite_rows(weight)
    return _checked(_direction(rows, "zero"), weight)


def sum_one(weight: torch.Tensor) -> torch.Tensor:
    """Each output filter shifted by ``(1 - sum) / n``: the closest point with sum one."""
    rows = _finite_rows(weight)
    return _checked(rows - _mean(rows) + 1 / rows.shape[1], weight)


def sum_zero(weight: torch.Tensor) -> torch.Tensor:
    """Each output filter minus its mean: the closest point with sum zero."""
    rows = _finite_rows(weight)
    return _checked(rows - _mean(rows), weight)


def max_norm(weight: torch.Tensor, radius: float = 1.0) -> torch.Tensor:
    """Each output filter whose norm exceeds ``radius`` scaled down onto that norm."""
    _check_radius(radius)
    rows = _finite_rows(weight)
    scale = rows.abs().amax(dim=1, keepdim=True).clamp_min(torch.finfo(rows.dtype).tiny)
    scaled_norm = torch.linalg.vector_norm(rows / scale, dim=1, keepdim=True)
    outside = scaled_norm > radius / scale  # ||w|| > c, without forming ||w||
    shrunk = (rows / scale) * (radius / scaled_norm)
    return _checked(torch.where(outside, shrunk, rows), weight)


def standardized(weight: torch.Tensor) -> torch.Tensor:
    """Each output filter centred (sum zero) and divided by its norm: Weight Standardization.

    The closest point of ``{sum(w) = 0, ||w|| = 1}``: the set is the unit sphere of the
    subspace of centred filters, so project onto the subspace, then onto its sphere.
    Raises ``ValueError`` for a constant filter (centred, it is zero).
    """
    rows = _finite_rows(weight)
    return _checked(_direction(rows - _mean(rows), "constant (zero once centred)"), weight)


def simplex(weight: torch.Tensor) -> torch.Tensor:
    """Each output filter projected onto ``{w >= 0, sum(w) = 1}`` (Duchi et al. 2008).

    The closest point is ``max(w - theta, 0)``: sort the entries in decreasing order ``u``,
    keep the largest ``rho`` for which ``u_rho > (u_1 + ... + u_rho - 1) / rho``, and take
    ``theta`` as that average. The set does not change when every entry moves by the same
    amount, so the filter is first shifted so that its largest entry is 0; entries below
    ``-1`` then always end at zero and are clamped there, which keeps every number small.
    """
    rows = _finite_rows(weight)
    shifted = (rows - rows.amax(dim=1, keepdim=True)).clamp_min(-2.0)
    u = torch.sort(shifted, dim=1, descending=True).values
    count = torch.arange(1, rows.shape[1] + 1, dtype=rows.dtype, device=rows.device)
    thresholds = (torch.cumsum(u, dim=1) - 1) / count
    rho = (u > thresholds).sum(dim=1, keepdim=True)  # at least 1: u_1 > u_1 - 1
    theta = torch.gather(thresholds, 1, rho - 1)
    return _checked((shifted - theta).clamp_min(0), weight)


def projected(weight: torch.Tensor, kind: str, radius: float = 1.0) -> torch.Tensor:
    """The closest point of the set named ``kind`` (one of :data:`KINDS`), filter by filter.

    ``radius`` is the bound ``c`` of 'max_norm' and is ignored by the other sets.
    """
    _check_kind(kind, KINDS)
    if kind == "max_norm":
        return max_norm(weight, radius)
    projection = {
        "unit_norm": unit_norm,
        "sum_one": sum_one,
        "sum_zero": sum_zero,
        "standardized": standardized,
        "simplex": simplex,
    }[kind]
    return projection(weight)


def _weight_of(module: nn.Module, name: str = "module") -> torch.Tensor:
    if not isinstance(module, nn.Module):
        raise TypeError(f"{name} must be a torch.nn.Module, got {type(module).__name__}")
    weight = getattr(module, "weight", None)
    if not isinstance(weight, torch.Tensor):
        raise ValueError(f"{name} ({type(module).__name__}) has no weight tensor to constrain")
    return weight


def _check_not_parametrized(module: nn.Module) -> None:
    _weight_of(module)
    if parametrize.is_parametrized(module, "weight"):
        raise ValueError(
            f"{type(module).__name__}.weight is parametrized: it is recomputed from "
            "module.parametrizations.weight.original on every access, so an in-place "
            "projection would edit a temporary copy and do nothing. Use either a projection "
            "or a parametrization on a layer, not both."
        )


def project_(module: nn.Module, kind: str, radius: float = 1.0) -> torch.Tensor:
    """Project each output filter of ``module.weight`` onto the set ``kind``, in place.

    Parameters
    ----------
    module : nn.Module
        A layer with a plain ``weight`` parameter, output filters on the first axis.
    kind : str
        One of :data:`KINDS`.
    radius : float
        The radius ``c`` of the max-norm ball.

    Returns
    -------
    Tensor
        How far each filter moved, shape (out,), float64 (a huge float32 filter may move
        farther than float32 can hold).

    Raises
    ------
    ValueError
        If ``module.weight`` is parametrized (the edit would be lost), ``kind`` is unknown,
        or the projection is undefined for a filter (see :func:`projected`).
    """
    _check_not_parametrized(module)
    weight = module.weight
    with torch.no_grad():
        target = projected(weight, kind, radius)
        moved = filter_norms(target.double() - weight.double())  # a huge filter moves far
        weight.copy_(target)
    return moved


def remove_normal_(
    tensor: torch.Tensor, weight: torch.Tensor, kind: str, radius: float = 1.0
) -> None:
    """Remove, in place, the part of ``tensor`` that points off the set at ``weight``.

    ``tensor`` is optimizer state shaped like the weight (the SGD momentum buffer, Adam's
    first moment); the optimizer moves the weight along ``-tensor``. At a point ``w`` of:

    * unit norm: remove the radial part ``(t . w) w`` (``w`` has norm 1);
    * sum one, sum zero: remove the mean, so that the step keeps the sum;
    * standardized: remove the mean and the radial part;
    * max norm: for filters on the sphere of radius ``c`` only, remove the radial part when
      the step ``-t`` points outward; filters inside the ball keep their state.

    Works on tensors of any memory layout (``channels_last`` too): the result is computed,
    then copied back into ``tensor``.
    """
    _check_kind(kind, TANGENT_KINDS)
    if tensor.shape != weight.shape:
        raise ValueError(
            f"tensor must have the weight's shape {tuple(weight.shape)}, got {tuple(tensor.shape)}"
        )
    with torch.no_grad():
        rows = _rows(tensor, "tensor")
        if kind in ("sum_one", "sum_zero", "standardized"):
            rows = rows - _mean(rows)
        if kind != "sum_one" and kind != "sum_zero":
            direction = _direction(_finite_rows(weight), "zero").to(rows.dtype)
            radial = (rows * direction).sum(dim=1, keepdim=True)
            if kind == "max_norm":
                on_boundary = filter_norms(weight).unsqueeze(1) >= radius * (1 - 1e-6)
                radial = torch.where(on_boundary & (radial < 0), radial, torch.zeros_like(radial))
            rows = rows - radial * direction
        tensor.copy_(rows.reshape(tensor.shape))


STATE_KEYS = ("momentum_buffer", "exp_avg")


class Projection:
    """A hook for a training loop: project a layer's filters after every optimizer step.

    Parameters
    ----------
    module : nn.Module
        The layer whose ``weight`` is constrained (not parametrized).
    kind : str
        One of :data:`KINDS`.
    radius : float
        The radius ``c`` for 'max_norm'.
    tangent_state : bool
        After each projection, remove from the optimizer's state for this weight (SGD's
        ``momentum_buffer``, Adam's ``exp_avg``) the part that points off the set, so past
        gradients stop pushing against the projection (not for 'simplex', whose tangent
        directions depend on which entries are zero). Adam still divides by its second
        moment entry by entry, so its step is not exactly tangent; the projection then
        corrects the rest. Needs the optimizer: pass ``optimizer``, or let a training loop
        build it with the factory returned by :meth:`track`.
    optimizer : torch.optim.Optimizer, optional
        The optimizer that trains ``module.weight``.

    Attributes
    ----------
    distances : list of float
        For each call, the largest distance a filter was moved back onto the set: how hard
        the last step pushed off it.

    Calling the object projects once; it accepts and ignores any arguments, so it serves as
    the after-step hook of a training loop, ``hook(model, step)``.
    """

    def __init__(
        self,
        module: nn.Module,
        kind: str,
        radius: float = 1.0,
        tangent_state: bool = False,
        optimizer: torch.optim.Optimizer | None = None,
    ):
        _check_kind(kind, KINDS)
        _check_radius(radius)
        _check_not_parametrized(module)
        if not isinstance(tangent_state, bool):
            raise TypeError(f"tangent_state must be True or False, got {tangent_state!r}")
        if tangent_state:
            _check_kind(kind, TANGENT_KINDS, "kind (with tangent_state=True)")
        self.module = module
        self.kind = kind
        self.radius = radius
        self.tangent_state = tangent_state
        self.optimizer: torch.optim.Optimizer | None = None
        self.distances: list[float] = []
        if optimizer is not None:
            self.use_optimizer(optimizer)

    def use_optimizer(self, optimizer: torch.optim.Optimizer) -> None:
        """Correct the state of ``optimizer``, which must hold ``module.weight``."""
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(
                f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
            )
        if not any(p is self.module.weight for g in optimizer.param_groups for p in g["params"]):
            raise ValueError(
                "the optimizer does not hold module.weight: was it built for another model, "
                "or before a parametrization was registered?"
            )
        self.optimizer = optimizer

    def track(
        self, factory: Callable[..., torch.optim.Optimizer]
    ) -> Callable[..., torch.optim.Optimizer]:
        """Wrap an optimizer factory so that the optimizer it builds is the one corrected.

        For training loops that build their own optimizer, e.g.
        ``train(model, data, optimizer=projection.track(torch.optim.SGD), after_step=projection)``.
        """

        def build(params: Iterable[nn.Parameter], **kwargs: object) -> torch.optim.Optimizer:
            optimizer = factory(params, **kwargs)
            self.use_optimizer(optimizer)
            return optimizer

        return build

    def __call__(self, *args: object, **kwargs: object) -> None:
        if self.tangent_state and self.optimizer is None:
            raise ValueError(
                "tangent_state=True needs the optimizer whose state to correct: pass "
                "optimizer=..., or build it with the factory from Projection.track()"
            )
        moved = project_(self.module, self.kind, self.radius)
        self.distances.append(float(moved.max()))
        if self.tangent_state:
            state = self.optimizer.state.get(self.module.weight, {})
            for key in STATE_KEYS:
                if state.get(key) is not None:
                    remove_normal_(state[key], self.module.weight, self.kind, self.radius)


class UnitNorm(nn.Module):
    """Parametrization ``w = v / ||v||`` per output filter (register with :func:`reparametrize`).

    ``right_inverse`` is the identity: registering keeps the current weight as ``v``.
    """

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        return unit_norm(v)

    def right_inverse(self, w: torch.Tensor) -> torch.Tensor:
        return w


class SumOne(nn.Module):
    """Parametrization ``w = v - mean(v) + 1/n`` per output filter (sum one).

    ``right_inverse`` is the identity: registering keeps the current weight as ``v``.
    """

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        return sum_one(v)

    def right_inverse(self, w: torch.Tensor) -> torch.Tensor:
        return w


class Standardized(nn.Module):
    """Parametrization ``w = (v - mean v) / ||v - mean v||`` per filter: sum zero, unit norm.

    Weight Standardization (Qiao et al. 2019) up to the constant factor ``sqrt(n)``; centred
    weight normalization (Huang et al. 2017) without its learned length.
    ``right_inverse`` is the identity: registering keeps the current weight as ``v``.
    """

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        return standardized(v)

    def right_inverse(self, w: torch.Tensor) -> torch.Tensor:
        return w


_MAPS = {
    "unit_norm": unit_norm,
    "weight_norm": unit_norm,
    "sum_one": sum_one,
    "standardized": standardized,
}
"""The map each reparametrization applies to every filter (weight norm: its direction)."""


def reparametrize(module: nn.Module, kind: str) -> nn.Module:
    """Register a parametrization of ``module.weight``, one per output filter.

    Parameters
    ----------
    module : nn.Module
        A layer with a ``weight``, output filters on the first axis.
    kind : str
        'unit_norm' (:class:`UnitNorm`), 'sum_one' (:class:`SumOne`), 'standardized'
        (:class:`Standardized`) or 'weight_norm' (``torch.nn.utils.parametrizations.
        weight_norm`` with ``dim=0``: ``w = g v / ||v||`` with a learned length ``g`` per
        filter; Salimans & Kingma 2016).

    Returns
    -------
    nn.Module
        The same module. Build the optimizer *after* this call (or use
        :func:`reparametrized_optimizer`): the parameters have changed.

    Raises
    ------
    ValueError
        If the weight holds NaN or infinity, or a filter for which the map is undefined (a
        zero filter for 'unit_norm' and 'weight_norm', a constant one for 'standardized'),
        checked before anything is registered.
    """
    _check_kind(kind, REPARAMETRIZATIONS)
    weight = _weight_of(module)
    if parametrize.is_parametrized(module, "weight"):
        raise ValueError(f"{type(module).__name__}.weight is already parametrized")
    with torch.no_grad():
        _MAPS[kind](weight)  # raises, for a filter the map cannot take, before registering
    if kind == "weight_norm":
        return nn.utils.parametrizations.weight_norm(module, name="weight", dim=0)
    parametrization = {"unit_norm": UnitNorm, "sum_one": SumOne, "standardized": Standardized}
    parametrize.register_parametrization(module, "weight", parametrization[kind]())
    return module


def _optimizer_mismatch(model: nn.Module, optimizer: torch.optim.Optimizer) -> str | None:
    """What is wrong with the optimizer's tensors for this model, or None."""
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    everything = {id(p) for p in model.parameters()}
    trainable = {id(p): name for name, p in model.named_parameters() if p.requires_grad}
    missing = [name for key, name in trainable.items() if key not in held]
    stale = len(held - everything)
    if not (missing or stale):
        return None
    return (
        f"the optimizer does not match the model: it misses {missing or 'nothing'} and "
        f"holds {stale} tensor(s) that are not parameters of the model"
    )


def check_optimizer(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
    """Raise ``ValueError`` unless the optimizer holds every trainable parameter of the model,
    and nothing that is not a parameter of the model.

    Catches the optimizer built before a parametrization was registered: it holds the old
    weight, which no longer receives a gradient, and misses the new ``original`` tensor.
    Frozen parameters (``requires_grad=False``) may be held or not: they get no gradient.
    """
    problem = _optimizer_mismatch(model, optimizer)
    if problem:
        raise ValueError(
            f"{problem}. Was it built before a parametrization was registered? Build the "
            "optimizer after reparametrize(), or use reparametrized_optimizer()."
        )


def reparametrized_optimizer(
    model: nn.Module, module: nn.Module, kind: str, make_optimizer: OptimizerFactory
) -> torch.optim.Optimizer:
    """Reparametrize ``module`` (a layer of ``model``), then build and check the optimizer.

    Parameters
    ----------
    model : nn.Module
        The whole model.
    module : nn.Module
        The layer of ``model`` to reparametrize.
    kind : str
        One of :data:`REPARAMETRIZATIONS` (see :func:`reparametrize`).
    make_optimizer : callable
        Builds the optimizer from parameters, e.g.
        ``lambda params: torch.optim.SGD(params, lr=0.05, momentum=0.9)``.

    Returns
    -------
    torch.optim.Optimizer
        An optimizer over the model's parameters as they are after the registration.

    Raises
    ------
    ValueError
        If ``module`` is not a layer of ``model``, or the optimizer that ``make_optimizer``
        builds does not hold the model's trainable parameters; the layer is then left as it
        was, not parametrized.
    """
    if not any(m is module for m in model.modules()):
        raise ValueError("module must be a layer of model")
    if not callable(make_optimizer):
        raise TypeError(
            f"make_optimizer must build an optimizer from parameters, got "
            f"{type(make_optimizer).__name__}"
        )
    reparametrize(module, kind)
    try:
        optimizer = make_optimizer(model.parameters())
        problem = _optimizer_mismatch(model, optimizer)
        if problem:
            raise ValueError(
                f"make_optimizer built an optimizer over other tensors: {problem}. It must "
                "use the parameters it is given (model.parameters() after the registration)."
            )
    except BaseException:
        # back to the layer as it was: weight norm's two tensors give the weight back exactly;
        # a one-tensor parametrization gives back its original tensor, v, the old weight
        parametrize.remove_parametrizations(
            module, "weight", leave_parametrized=kind == "weight_norm"
        )
        raise
    return optimizer
