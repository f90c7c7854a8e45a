"""Constraining the filters of a layer: projections after each step, or reparametrizations.

Two ways to keep every output filter ``w`` of a layer (one row ``weight[k]``) on a set:

* **Projection** (projected SGD): let the optimizer step, then move each filter to the
  closest point of the set, in place, under ``torch.no_grad()``. :func:`project_` does it
  once; :class:`Projection` is the hook a training loop calls after every
  ``optimizer.step()``.
* **Reparametrization**: train an unconstrained tensor ``v`` and compute the weight as
  ``w = p(v)`` inside the forward pass (``torch.nn.utils.parametrize``).
  :func:`reparametrize` registers :class:`UnitNorm`, :class:`SumOne` or weight
  normalization; :func:`reparametrized_optimizer` registers it and builds the optimizer
  in one call.

The sets, for a filter of ``n`` entries:

* unit norm ``{w : ||w|| = 1}``, closest point ``w / ||w||``;
* sum one ``{w : sum(w) = 1}``, a hyperplane with normal ``(1, ..., 1)``, closest point
  ``w + (1 - sum(w)) / n`` (not ``w / sum(w)``, which is not the closest point and blows
  up when the sum is near zero);
* max norm ``{w : ||w|| <= c}``, closest point ``w * min(1, c / ||w||)``.

Three traps, each made impossible or caught with a clear error here:

* an optimizer built before a parametrization is registered may hold an old tensor that no
  longer gets a gradient: training silently changes nothing. (With weight normalization it
  does; a one-tensor parametrization such as :class:`UnitNorm` keeps the old Parameter
  object, which torch refills with ``set_``.) :func:`check_optimizer` raises when the
  optimizer's tensors are not the model's; :func:`reparametrized_optimizer` builds the
  optimizer after registering, so the question never arises;
* an in-place edit of a parametrized weight changes a temporary copy and does nothing:
  :func:`project_` and :class:`Projection` raise on a parametrized layer;
* the optimizer's state (the SGD momentum buffer, Adam's first moment) keeps the component
  of past gradients that points off the set, and keeps pushing against the projection.
  :class:`Projection` measures how far each projection has to move the filters
  (:attr:`Projection.distances`) and can remove that component from the state after each
  projection (``tangent_state=True``, see :func:`remove_normal_`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn
from torch.nn.utils import parametrize

KINDS = ("unit_norm", "sum_one", "max_norm")
REPARAMETRIZATIONS = ("unit_norm", "sum_one", "weight_norm")

OptimizerFactory = Callable[[Iterable[nn.Parameter]], torch.optim.Optimizer]


def _rows(weight: torch.Tensor) -> torch.Tensor:
    """The weight as one row per output filter, shape (out, n)."""
    if weight.ndim < 2:
        raise ValueError(
            "weight must have the output filters on its first axis (at least 2-D), "
            f"got shape {tuple(weight.shape)}"
        )
    return weight.reshape(weight.shape[0], -1)


def filter_sums(weight: torch.Tensor) -> torch.Tensor:
    """The sum of each output filter, shape (out,)."""
    return _rows(weight).sum(dim=1)


def filter_norms(weight: torch.Tensor) -> torch.Tensor:
    """The L2 norm of each output filter, shape (out,)."""
    return torch.linalg.vector_norm(_rows(weight), dim=1)


def _check_kind(kind: str, kinds: tuple[str, ...]) -> None:
    if kind not in kinds:
        raise ValueError(f"kind must be one of {', '.join(map(repr, kinds))}, got {kind!r}")


def _check_radius(radius: float) -> None:
    if not radius > 0:
        raise ValueError(f"radius (the max-norm bound c) must be positive, got {radius!r}")


def unit_norm(weight: torch.Tensor) -> torch.Tensor:
    """Each output filter divided by its L2 norm: the closest point of unit norm.

    Raises ``ValueError`` if a filter is zero (every unit vector is then equally close).
    """
    rows = _rows(weight)
    norms = torch.linalg.vector_norm(rows, dim=1, keepdim=True)
    if bool((norms == 0).any()):
        zero = int(torch.nonzero(norms.flatten() == 0)[0])
        raise ValueError(f"filter {zero} is zero: its unit-norm projection is undefined")
    return (rows / norms).reshape(weight.shape)


def sum_one(weight: torch.Tensor) -> torch.Tensor:
    """Each output filter shifted by ``(1 - sum) / n``: the closest point with sum one."""
    rows = _rows(weight)
    shift = (1 - rows.sum(dim=1, keepdim=True)) / rows.shape[1]
    return (rows + shift).reshape(weight.shape)


def max_norm(weight: torch.Tensor, radius: float = 1.0) -> torch.Tensor:
    """Each output filter whose norm exceeds ``radius`` scaled down onto that norm."""
    _check_radius(radius)
    rows = _rows(weight)
    norms = torch.linalg.vector_norm(rows, dim=1, keepdim=True)
    scale = torch.where(norms > radius, radius / norms, torch.ones_like(norms))
    return (rows * scale).reshape(weight.shape)


def projected(weight: torch.Tensor, kind: str, radius: float = 1.0) -> torch.Tensor:
    """The closest point of the set named ``kind`` ('unit_norm', 'sum_one', 'max_norm')."""
    _check_kind(kind, KINDS)
    if kind == "unit_norm":
        return unit_norm(weight)
    if kind == "sum_one":
        return sum_one(weight)
    return max_norm(weight, radius)


def _check_not_parametrized(module: nn.Module) -> None:
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
        'unit_norm', 'sum_one' or 'max_norm'.
    radius : float
        The radius ``c`` of the max-norm ball.

    Returns
    -------
    Tensor
        How far each filter moved, shape (out,).

    Raises
    ------
    ValueError
        If ``module.weight`` is parametrized (the edit would be lost), or ``kind`` is unknown.
    """
    _check_not_parametrized(module)
    weight = module.weight
    with torch.no_grad():
        target = projected(weight, kind, radius)
        moved = filter_norms(target - weight)
        weight.copy_(target)
    return moved


def remove_normal_(
    tensor: torch.Tensor, weight: torch.Tensor, kind: str, radius: float = 1.0
) -> None:
    """Remove, in place, the part of ``tensor`` that points off the set at ``weight``.

    ``tensor`` is optimizer state shaped like the weight (the SGD momentum buffer, Adam's
    first moment); the optimizer moves the weight along ``-tensor``. At a point ``w`` of:

    * unit norm: remove the radial part ``(t . w) w`` (``w`` has norm 1);
    * sum one: remove the mean, so that the step keeps the sum;
    * max norm: for filters on the sphere of radius ``c`` only, remove the radial part when
      the step ``-t`` points outward; filters inside the ball keep their state.
    """
    _check_kind(kind, KINDS)
    with torch.no_grad():
        rows = _rows(tensor)
        if kind == "sum_one":
            rows -= rows.mean(dim=1, keepdim=True)
            return
        direction = unit_norm(weight).reshape(rows.shape)
        radial = (rows * direction).sum(dim=1, keepdim=True)
        if kind == "max_norm":
            on_boundary = filter_norms(weight).unsqueeze(1) >= radius * (1 - 1e-6)
            radial = torch.where(on_boundary & (radial < 0), radial, torch.zeros_like(radial))
        rows -= radial * direction


STATE_KEYS = ("momentum_buffer", "exp_avg")


class Projection:
    """A hook for a training loop: project a layer's filters after every optimizer step.

    Parameters
    ----------
    module : nn.Module
        The layer whose ``weight`` is constrained (not parametrized).
    kind : str
        'unit_norm', 'sum_one' or 'max_norm'.
    radius : float
        The radius ``c`` for 'max_norm'.
    tangent_state : bool
        After each projection, remove from the optimizer's state for this weight (SGD's
        ``momentum_buffer``, Adam's ``exp_avg``) the part that points off the set, so past
        gradients stop pushing against the projection. Adam still divides by its second
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
    """Parametrization ``w = v + (1 - sum v) / n`` per output filter.

    ``right_inverse`` is the identity: registering keeps the current weight as ``v``.
    """

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        return sum_one(v)

    def right_inverse(self, w: torch.Tensor) -> torch.Tensor:
        return w


def reparametrize(module: nn.Module, kind: str) -> nn.Module:
    """Register a parametrization of ``module.weight``, one per output filter.

    Parameters
    ----------
    module : nn.Module
        A layer with a ``weight``, output filters on the first axis.
    kind : str
        'unit_norm' (:class:`UnitNorm`), 'sum_one' (:class:`SumOne`) or 'weight_norm'
        (``torch.nn.utils.parametrizations.weight_norm`` with ``dim=0``: ``w = g v / ||v||``
        with a learned length ``g`` per filter).

    Returns
    -------
    nn.Module
        The same module. Build the optimizer *after* this call (or use
        :func:`reparametrized_optimizer`): the parameters have changed.
    """
    _check_kind(kind, REPARAMETRIZATIONS)
    if parametrize.is_parametrized(module, "weight"):
        raise ValueError(f"{type(module).__name__}.weight is already parametrized")
    if kind == "weight_norm":
        return nn.utils.parametrizations.weight_norm(module, name="weight", dim=0)
    parametrization = UnitNorm() if kind == "unit_norm" else SumOne()
    parametrize.register_parametrization(module, "weight", parametrization)
    return module


def check_optimizer(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
    """Raise ``ValueError`` unless the optimizer holds exactly the model's trainable parameters.

    Catches the optimizer built before a parametrization was registered: it holds the old
    weight, which no longer receives a gradient, and misses the new ``original`` tensor.
    """
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    named = {id(p): name for name, p in model.named_parameters() if p.requires_grad}
    missing = [name for key, name in named.items() if key not in held]
    stale = len(held - named.keys())
    if missing or stale:
        raise ValueError(
            f"the optimizer does not match the model: it misses {missing or 'nothing'} and "
            f"holds {stale} tensor(s) that are not parameters of the model. Was it built "
            "before a parametrization was registered? Build the optimizer after "
            "reparametrize(), or use reparametrized_optimizer()."
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
        'unit_norm', 'sum_one' or 'weight_norm' (see :func:`reparametrize`).
    make_optimizer : callable
        Builds the optimizer from parameters, e.g.
        ``lambda params: torch.optim.SGD(params, lr=0.05, momentum=0.9)``.

    Returns
    -------
    torch.optim.Optimizer
        An optimizer over the model's parameters as they are after the registration.
    """
    if not any(m is module for m in model.modules()):
        raise ValueError("module must be a layer of model")
    reparametrize(module, kind)
    optimizer = make_optimizer(model.parameters())
    check_optimizer(model, optimizer)
    return optimizer
