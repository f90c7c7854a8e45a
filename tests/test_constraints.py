"""Tests of helpers.constraints: each projection lands on its set, is idempotent and is the
closest point (against scipy's constrained minimizer); parametrized models train; the traps
(stale optimizer, in-place edit of a parametrized weight, optimizer state) are caught."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from torch import nn
from torch.nn.utils import parametrize

from helpers import constraints as C

TOL = 1e-6


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models train faster on one thread, and do not stall on a loaded machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def violation(weight: torch.Tensor, kind: str, radius: float = 1.0) -> float:
    """How far the filters are from the set, measured in float64."""
    w = weight.detach().double()
    norm_gap = (C.filter_norms(w) - 1).abs().max()
    sums = C.filter_sums(w)
    if kind == "unit_norm":
        return float(norm_gap)
    if kind == "sum_one":
        return float((sums - 1).abs().max())
    if kind == "sum_zero":
        return float(sums.abs().max())
    if kind == "standardized":
        return float(max(norm_gap, sums.abs().max()))
    if kind == "simplex":
        return float(max((sums - 1).abs().max(), (-w).clamp(min=0).max()))
    return float((C.filter_norms(w) - radius).clamp(min=0).max())


weights = st.tuples(
    st.integers(1, 6),
    st.integers(1, 3),
    st.sampled_from([1, 3, 5]),
    st.integers(0, 2**31 - 1),
    st.sampled_from([1e-3, 1.0, 30.0]),
    st.sampled_from([torch.float32, torch.float64]),
).map(
    lambda t: (
        t[4] * torch.randn(t[0], t[1], t[2], t[2], generator=torch.Generator().manual_seed(t[3]))
    ).to(t[5])
)


# ---------------------------------------------------------------- the projections themselves


def test_sums_and_norms_match_numpy():
    w = torch.randn(4, 2, 3, 3, dtype=torch.float64)
    rows = w.numpy().reshape(4, -1)
    np.testing.assert_allclose(C.filter_sums(w).numpy(), rows.sum(axis=1))
    np.testing.assert_allclose(C.filter_norms(w).numpy(), np.linalg.norm(rows, axis=1))


@settings(max_examples=60, deadline=None)
@given(weights, st.sampled_from(C.KINDS), st.sampled_from([0.5, 1.0, 2.0]))
def test_projection_lands_on_its_set_and_is_idempotent(w, kind, radius):
    if kind == "standardized" and w[0].numel() == 1:
        with pytest.raises(ValueError, match="constant"):  # one entry: centred, it is zero
            C.projected(w, kind, radius)
        return
    p = C.projected(w, kind, radius)
    assert p.shape == w.shape and p.dtype == w.dtype
    tolerance = rounding_bound(w, p, kind)
    assert violation(p, kind, radius) <= tolerance
    again = C.projected(p, kind, radius)
    assert float((again - p).abs().max()) <= tolerance


def rounding_bound(w: torch.Tensor, p: torch.Tensor, kind: str = "sum_one") -> float:
    """What rounding in ``w``'s dtype may leave of a filter's sum or norm: a few ulps of the
    sum of the magnitudes of the filter's entries before and after. The sum of ``n`` entries
    of size ``|w|`` is off by up to about ``n * eps * |w|`` once the entries are rounded to
    the dtype, whatever the algorithm. 'standardized' then divides the centred filter by its
    norm, which magnifies the rounding of the centring by ``1 / ||w - mean(w)||`` (large for
    a nearly constant filter)."""
    eps = torch.finfo(w.dtype).eps
    rows, after = w.double().reshape(len(w), -1), p.double().reshape(len(w), -1)
    before = rows.abs().sum(dim=1)
    if kind == "standardized":
        before = before / torch.linalg.vector_norm(rows - rows.mean(1, keepdim=True), dim=1)
    return 4 * eps * (float((before + after.abs().sum(dim=1)).max()) + 1)


def test_the_rounding_bound_is_needed_and_sufficient_for_sum_one_in_float32():
    # Regression: a fixed tolerance of 1e-6 * max|w| failed for a float32 filter of 75
    # entries of size ~30 (its sum came out 8e-5 off): rounding grows with n * |w|, not |w|
    w = (30 * torch.randn(1, 3, 5, 5, generator=torch.Generator().manual_seed(18))).float()
    p = C.sum_one(w)
    error = abs(float(p.double().sum()) - 1)
    assert error > 1e-6 * float(w.abs().max())
    assert error <= rounding_bound(w, p)
    # the same filter in float64 is exact to 1e-13: the rounding is float32's, not the method's
    assert abs(float(C.sum_one(w.double()).sum()) - 1) < 1e-13


def test_sum_one_is_the_shift_not_a_division():
    w = torch.tensor([[0.5, -0.5, 0.25, 0.0]], dtype=torch.float64)  # sum 0.25
    np.testing.assert_allclose(C.sum_one(w).numpy(), (w + 0.75 / 4).numpy())
    assert not torch.allclose(C.sum_one(w), w / w.sum())


def test_max_norm_leaves_filters_inside_the_ball_alone():
    w = torch.tensor([[0.3, 0.4], [3.0, 4.0]], dtype=torch.float64)  # norms 0.5 and 5
    p = C.max_norm(w, 1.0)
    np.testing.assert_array_equal(p[0].numpy(), w[0].numpy())
    np.testing.assert_allclose(p[1].numpy(), [0.6, 0.8])
    # torch's own per-row max-norm agrees (it divides by norm + 1e-7)
    np.testing.assert_allclose(p.numpy(), torch.renorm(w, 2, 0, 1.0).numpy(), atol=1e-6)


def closest_by_minimizer(w: np.ndarray, kind: str, radius: float) -> np.ndarray:
    """The closest point of the set to one filter w, by SLSQP from a point of the set."""
    sphere = {"type": "eq", "fun": lambda x: x @ x - 1, "jac": lambda x: 2 * x}
    total = {"type": "eq", "fun": lambda x: x.sum() - 1, "jac": np.ones_like}
    centred = {"type": "eq", "fun": lambda x: x.sum(), "jac": np.ones_like}
    ball = {"type": "ineq", "fun": lambda x: radius**2 - x @ x, "jac": lambda x: -2 * x}
    constraints = {
        "unit_norm": [sphere],
        "sum_one": [total],
        "sum_zero": [centred],
        "max_norm": [ball],
        "standardized": [centred, sphere],
        "simplex": [total],
    }[kind]
    start = np.full_like(w, 1 / w.size)
    if kind == "standardized":  # a point of the set, near w's direction
        start = (w - w.mean()) / np.linalg.norm(w - w.mean())
    result = minimize(
        lambda x: np.sum((x - w) ** 2),
        start,
        jac=lambda x: 2 * (x - w),
        bounds=[(0, None)] * w.size if kind == "simplex" else None,
        constraints=constraints,
        method="SLSQP",
        options={"ftol": 1e-12, "maxiter": 500},
    )
    assert result.success or result.status == 8, result.message  # 8: at machine precision
    return result.x


@pytest.mark.parametrize("kind", C.KINDS)
@pytest.mark.parametrize("n", [2, 4, 9])
def test_projection_is_the_closest_point(kind, n):
    rng = np.random.default_rng(n)
    radius = 0.7
    for _ in range(5):
        w = rng.normal(size=n) * rng.choice([0.3, 3.0])
        ours = C.projected(torch.from_numpy(w[None]), kind, radius).numpy()[0]
        theirs = closest_by_minimizer(w, kind, radius)
        assert violation(torch.from_numpy(theirs[None]), kind, radius) < 1e-6
        # as close as the minimizer's answer, and the same point (the closest point is unique)
        assert np.linalg.norm(ours - w) <= np.linalg.norm(theirs - w) + 1e-7
        np.testing.assert_allclose(ours, theirs, atol=1e-4)
        # no random point of the set is closer
        points = random_points_of(kind, n, radius, rng)
        assert np.linalg.norm(points - w, axis=1).min() >= np.linalg.norm(ours - w) - 1e-12


def random_points_of(kind: str, n: int, radius: float, rng, count: int = 2000) -> np.ndarray:
    """Random points of the set, drawn directly from its definition."""
    points = rng.normal(size=(count, n))
    if kind in ("sum_zero", "standardized"):
        points -= points.mean(axis=1, keepdims=True)
    if kind in ("unit_norm", "standardized"):
        points /= np.linalg.norm(points, axis=1, keepdims=True)
    if kind == "sum_one":
        points += (1 - points.sum(axis=1, keepdims=True)) / n
    if kind == "max_norm":
        points *= radius * rng.uniform(size=(count, 1)) / np.linalg.norm(points, axis=1)[:, None]
    if kind == "simplex":
        points = rng.dirichlet(np.full(n, 0.3), size=count)
    return points


def test_division_by_the_sum_is_not_the_closest_point_and_blows_up():
    w = torch.tensor([[0.6, -0.59, 0.2, -0.2]], dtype=torch.float64)  # sum 0.01
    divided = w / w.sum()
    assert abs(float(divided.sum()) - 1) < 1e-12  # it does land on the set...
    assert float(C.filter_norms(divided)) > 50 * float(C.filter_norms(w))  # ...far away
    assert float(C.filter_norms(divided - w)) > float(C.filter_norms(C.sum_one(w) - w))


def test_bad_input_is_refused_with_clear_errors():
    with pytest.raises(ValueError, match=r"at least 2-D\), got shape \(5,\)"):
        C.unit_norm(torch.ones(5))
    with pytest.raises(ValueError, match="filter 1 is zero"):
        C.unit_norm(torch.tensor([[1.0, 0.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="kind must be one of"):
        C.projected(torch.ones(2, 2), "unit_sum")
    with pytest.raises(ValueError, match=r"radius .* must be finite and positive, got 0"):
        C.max_norm(torch.ones(2, 2), 0)
    with pytest.raises(ValueError, match="kind must be one of"):
        C.reparametrize(nn.Conv2d(1, 2, 3), "max_norm")


# ---------------------------------------------------------------- a real, short training run

torch.manual_seed(0)
X = torch.randn(512, 1, 12, 12)
Y = (X[:, 0, 3:9, 3:9].mean((1, 2)) > 0).long() + 2 * (X[:, 0, :6].mean((1, 2)) > 0).long()


def small_cnn(seed: int = 1) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 64, 4))


def train(model, optimizer, steps=40, after_step=None, seed=2, dtype=torch.float32):
    """Minibatch SGD on the toy task; returns the losses and the first-layer weights seen."""
    generator = torch.Generator().manual_seed(seed)
    losses, seen = [], []
    for _ in range(steps):
        batch = torch.randint(0, len(X), (64,), generator=generator)
        loss = F.cross_entropy(model(X[batch].to(dtype)), Y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if after_step is not None:
            after_step()
        losses.append(loss.item())
        seen.append(model[0].weight.detach().clone())
    return losses, seen


@pytest.mark.parametrize(
    ("kind", "tangent_state"),
    [(kind, False) for kind in C.KINDS] + [(kind, True) for kind in C.TANGENT_KINDS],
)
def test_projection_holds_after_every_step_of_training(kind, tangent_state):
    model = small_cnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    hook = C.Projection(model[0], kind, 0.5, tangent_state, optimizer)
    start = model[0].weight.detach().clone()
    losses, seen = train(model, optimizer, after_step=hook)
    assert max(violation(w, kind, 0.5) for w in seen) < TOL
    assert len(hook.distances) == len(seen)
    assert float((seen[-1] - start).abs().max()) > 0.05  # it trained
    assert np.mean(losses[-10:]) < np.mean(losses[:10])
    unit = kind in ("unit_norm", "standardized")
    assert (violation(seen[-1], "unit_norm") > 1e-2) or unit  # the sets differ


def test_without_projection_the_filters_leave_every_set():
    model = small_cnn()
    _, seen = train(model, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9))
    for kind in C.KINDS:
        assert violation(seen[-1], kind, 0.5) > 1e-2


@pytest.mark.parametrize("kind", C.REPARAMETRIZATIONS)
def test_parametrized_model_really_trains(kind):
    model = small_cnn()
    optimizer = C.reparametrized_optimizer(
        model, model[0], kind, lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9)
    )
    originals = [p.detach().clone() for p in model[0].parametrizations.weight.parameters()]
    losses, seen = train(model, optimizer)
    for before, after in zip(originals, model[0].parametrizations.weight.parameters(), strict=True):
        assert float((after.detach() - before).abs().max()) > 1e-3
    assert float((seen[-1] - seen[0]).abs().max()) > 1e-2
    assert np.mean(losses[-10:]) < np.mean(losses[:10])
    if kind == "weight_norm":  # the effective filter's norm is the learned length g
        g = model[0].parametrizations.weight.original0.detach().flatten()
        np.testing.assert_allclose(C.filter_norms(seen[-1]).numpy(), g.abs().numpy(), rtol=1e-5)
    else:
        assert max(violation(w, kind) for w in seen) < TOL


# ---------------------------------------------------------------- the traps


def test_trap_optimizer_built_before_weight_norm_trains_nothing_and_is_caught():
    model = small_cnn()
    stale = torch.optim.SGD(model.parameters(), lr=0.1)
    C.reparametrize(model[0], "weight_norm")
    before = model[0].weight.detach().clone()
    train(model, stale, steps=5)
    # the trap is real: the tensors the model uses never moved
    assert torch.equal(model[0].weight.detach(), before)
    with pytest.raises(ValueError, match=r"misses \['0.parametrizations.weight.original0', "):
        C.check_optimizer(model, stale)
    C.check_optimizer(model, torch.optim.SGD(model.parameters(), lr=0.1))  # a fresh one passes


@pytest.mark.parametrize("kind", ["unit_norm", "sum_one"])
def test_one_tensor_parametrization_keeps_the_parameter_object(kind):
    # torch (2.x) writes the right inverse into the old Parameter with set_(), so an optimizer
    # built before registering still holds the tensor that trains: no trap, and no false alarm
    model = small_cnn()
    early = torch.optim.SGD(model.parameters(), lr=0.1)
    weight = model[0].weight
    C.reparametrize(model[0], kind)
    assert model[0].parametrizations.weight.original is weight
    C.check_optimizer(model, early)


def test_check_optimizer_catches_an_optimizer_of_another_model():
    with pytest.raises(ValueError, match="holds 4 tensor"):
        C.check_optimizer(small_cnn(), torch.optim.SGD(small_cnn().parameters(), lr=0.1))


def test_reparametrized_optimizer_refuses_a_layer_of_another_model():
    with pytest.raises(ValueError, match="must be a layer of model"):
        C.reparametrized_optimizer(small_cnn(), nn.Conv2d(1, 2, 3), "unit_norm", torch.optim.SGD)


def test_trap_in_place_edit_of_parametrized_weight_does_nothing_and_is_caught():
    conv = C.reparametrize(nn.Conv2d(1, 3, 3), "sum_one")
    before = conv.weight.detach().clone()
    with torch.no_grad():
        conv.weight.mul_(10)  # the trap is real: a temporary copy changes
    assert torch.equal(conv.weight, before)
    with pytest.raises(ValueError, match="parametrized.*do nothing"):
        C.project_(conv, "unit_norm")
    with pytest.raises(ValueError, match="parametrized"):
        C.Projection(conv, "max_norm")
    with pytest.raises(ValueError, match="already parametrized"):
        C.reparametrize(conv, "unit_norm")


def test_projection_refuses_an_optimizer_without_the_weight():
    model = small_cnn()
    with pytest.raises(ValueError, match="needs the optimizer"):
        C.Projection(model[0], "unit_norm", tangent_state=True)()
    other = torch.optim.SGD(small_cnn().parameters(), lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="does not hold module.weight"):
        C.Projection(model[0], "unit_norm", tangent_state=True, optimizer=other)
    with pytest.raises(ValueError, match="does not hold module.weight"):
        C.Projection(model[0], "unit_norm").track(torch.optim.SGD)(small_cnn().parameters(), lr=1)


def test_track_hands_the_optimizer_a_training_loop_builds_to_the_projection():
    model = small_cnn()
    hook = C.Projection(model[0], "sum_one", tangent_state=True)
    optimizer = hook.track(torch.optim.SGD)(model.parameters(), lr=0.1, momentum=0.9)
    assert hook.optimizer is optimizer
    train(model, optimizer, steps=5, after_step=hook)
    buffer = optimizer.state[model[0].weight]["momentum_buffer"]
    np.testing.assert_allclose(C.filter_sums(buffer).numpy(), 0, atol=1e-6)


def normal_part_of_momentum(optimizer, weight, kind, radius=0.5):
    buffer = optimizer.state[weight]["momentum_buffer"].clone()
    tangent = buffer.clone()
    C.remove_normal_(tangent, weight, kind, radius)
    return float(C.filter_norms(buffer - tangent).max())


@pytest.mark.parametrize("kind", ["sum_one", "max_norm"])
def test_trap_momentum_pushes_against_the_projection_unless_made_tangent(kind):
    results = {}
    for tangent_state in (False, True):
        model = small_cnn()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        hook = C.Projection(model[0], kind, 0.5, tangent_state, optimizer)
        hook()
        hook.distances.clear()
        train(model, optimizer, after_step=hook)
        results[tangent_state] = (
            np.mean(hook.distances[-20:]),
            normal_part_of_momentum(optimizer, model[0].weight, kind),
        )
    (pushed, normal_kept), (pushed_tangent, normal_tangent) = results[False], results[True]
    assert normal_kept > 0.1 and normal_tangent < 1e-6
    assert pushed_tangent < 0.5 * pushed  # each projection has less to undo


@pytest.mark.parametrize("kind", C.TANGENT_KINDS)
def test_remove_normal_leaves_a_tangent_direction(kind):
    torch.manual_seed(3)
    w = C.projected(torch.randn(5, 1, 3, 3, dtype=torch.float64), kind, 1.0)
    w[0] *= 0.5 if kind == "max_norm" else 1  # one filter inside the ball
    t = torch.randn_like(w)
    t[1] = -C.unit_norm(w)[1]  # a step straight outward for the sphere and the ball
    original = t.clone()
    C.remove_normal_(t, w, kind, 1.0)
    rows, w_rows = t.reshape(5, -1), w.reshape(5, -1)
    if kind in ("sum_one", "sum_zero", "standardized"):
        np.testing.assert_allclose(rows.sum(1).numpy(), 0, atol=1e-12)
    if kind in ("unit_norm", "standardized"):
        np.testing.assert_allclose((rows * w_rows).sum(1).numpy(), 0, atol=1e-12)
    if kind == "max_norm":
        assert torch.equal(t[0], original[0])  # inside the ball: untouched
        np.testing.assert_allclose(t[1].numpy(), 0, atol=1e-12)  # outward on the sphere: removed
        assert float(-(rows * w_rows).sum(1).max()) <= 1e-12  # no step leaves the ball


def test_tangent_state_works_for_adam_first_moment():
    model = small_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    hook = C.Projection(model[0], "sum_one", tangent_state=True, optimizer=optimizer)
    _, seen = train(model, optimizer, steps=10, after_step=hook)
    m = optimizer.state[model[0].weight]["exp_avg"]
    np.testing.assert_allclose(C.filter_sums(m).numpy(), 0, atol=1e-6)
    assert max(violation(w, "sum_one") for w in seen) < TOL


# ---------------------------------------------------------------- the new sets, by brute force


def simplex_by_supports(v: np.ndarray) -> np.ndarray:
    """The closest point of the simplex, by trying every support: on a support S the closest
    point of {sum = 1} is v - theta with theta = (sum_S v - 1) / |S|, zero elsewhere."""
    best, best_distance = None, np.inf
    for mask in itertools.product([False, True], repeat=v.size):
        support = np.array(mask)
        if not support.any():
            continue
        theta = (v[support].sum() - 1) / support.sum()
        candidate = np.where(support, v - theta, 0.0)
        if candidate.min() >= -1e-12 and np.linalg.norm(candidate - v) < best_distance:
            best, best_distance = candidate, np.linalg.norm(candidate - v)
    return best


@pytest.mark.parametrize("n", [1, 2, 3, 6, 9])
def test_simplex_projection_against_every_support(n):
    rng = np.random.default_rng(n)
    for scale in (0.1, 1.0, 5.0):
        v = rng.normal(size=(4, n)) * scale
        ours = C.simplex(torch.from_numpy(v)).numpy()
        for row, theirs in zip(ours, map(simplex_by_supports, v), strict=True):
            np.testing.assert_allclose(row, theirs, atol=1e-12)


def test_standardized_is_centred_unit_norm_and_weight_standardization_up_to_sqrt_n():
    w = torch.randn(6, 3, 5, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    p = C.standardized(w).numpy().reshape(6, -1)
    rows = w.numpy().reshape(6, -1)
    qiao = (rows - rows.mean(1, keepdims=True)) / rows.std(1, keepdims=True)  # WS, no eps
    np.testing.assert_allclose(p * np.sqrt(rows.shape[1]), qiao, rtol=1e-12)
    np.testing.assert_allclose(C.sum_zero(w).numpy().reshape(6, -1).sum(1), 0, atol=1e-12)


# ---------------------------------------------------------------- bad and extreme filters


FLOAT32_HUGE = torch.tensor([[3e38, 3e38]], dtype=torch.float32)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("unit_norm", [0.5**0.5, 0.5**0.5]),
        ("sum_one", [0.5, 0.5]),
        ("sum_zero", [0.0, 0.0]),
        ("max_norm", [0.5**0.5, 0.5**0.5]),
        ("simplex", [0.5, 0.5]),
    ],
)
def test_huge_float32_filters_do_not_overflow(kind, expected):
    # Regression: unit_norm([3e38, 3e38]) in float32 gave [0, 0] (the norm overflowed)
    np.testing.assert_allclose(C.projected(FLOAT32_HUGE, kind).numpy()[0], expected, rtol=1e-6)


def test_huge_and_tiny_filters_keep_their_direction():
    signed = torch.tensor([[3e38, -3e38]], dtype=torch.float32)
    np.testing.assert_allclose(C.standardized(signed).numpy()[0], [0.5**0.5, -(0.5**0.5)], 1e-6)
    tiny = torch.tensor([[1e-45, 1e-45]], dtype=torch.float32)  # subnormal: the sum of squares
    np.testing.assert_allclose(C.unit_norm(tiny).numpy()[0], [0.5**0.5] * 2, rtol=1e-6)  # is 0


def test_sums_and_norms_of_huge_and_tiny_filters():
    # Regression: float32 [3e38, 3e38] summed to inf and had an infinite norm; [1e20, 1e20]
    # had an infinite norm and [1e-30, 1e-30] a zero one (the squares over- or underflowed)
    with pytest.raises(ValueError, match="the sum of filter 0 overflows torch.float32"):
        C.filter_sums(FLOAT32_HUGE)
    with pytest.raises(ValueError, match="the norm of filter 0 overflows torch.float32"):
        C.filter_norms(FLOAT32_HUGE)
    for size in [1e20, 1e-30, 3e38 / 4]:
        w = torch.tensor([[size, size], [size, -size]], dtype=torch.float32)
        np.testing.assert_allclose(C.filter_norms(w).numpy(), 2**0.5 * np.float32(size), 1e-6)
        np.testing.assert_allclose(C.filter_sums(w).numpy(), [2 * np.float32(size), 0], 1e-6)
    cancelling = torch.tensor([[3e38, 3e38, -3e38, 1e32]], dtype=torch.float32)
    exact = float(cancelling.double().sum())  # 3e38 + 1e32, partial sums reach 6e38
    bound = 4 * torch.finfo(torch.float32).eps * float(cancelling.double().abs().sum())
    assert abs(float(C.filter_sums(cancelling)) - exact) <= bound
    with pytest.raises(ValueError, match=r"overflows torch.float64: its entries are too large$"):
        C.filter_sums(torch.tensor([[1e308, 1e308]], dtype=torch.float64))


@pytest.mark.parametrize("function", [C.filter_sums, C.filter_norms, C.sum_one, C.unit_norm])
@pytest.mark.parametrize("shape", [(2, 0), (0, 3), (2, 0, 3)])
def test_empty_weights_are_refused(function, shape):
    # Regression: they raised IndexError, RuntimeError or ZeroDivisionError
    with pytest.raises(ValueError, match="at least one filter of at least one entry"):
        function(torch.zeros(shape))


@pytest.mark.parametrize("function", [C.filter_sums, C.filter_norms])
def test_sums_and_norms_refuse_nan_and_wrong_types(function):
    with pytest.raises(ValueError, match="filter 1 holds NaN"):
        function(torch.tensor([[1.0, 2.0], [float("nan"), 0.0]]))
    with pytest.raises(TypeError, match="must be a torch tensor, got list"):
        function([[1.0, 2.0], [3.0]])


def test_project_reports_how_far_a_huge_filter_moved():
    conv = nn.Conv2d(1, 1, (1, 2), bias=False)
    with torch.no_grad():
        conv.weight.copy_(FLOAT32_HUGE.reshape(1, 1, 1, 2))
    moved = C.project_(conv, "unit_norm")
    np.testing.assert_allclose(moved.numpy(), [2**0.5 * (float(FLOAT32_HUGE[0, 0]) - 0.5**0.5)])


def test_a_projection_that_overflows_its_dtype_is_refused():
    with pytest.raises(ValueError, match="overflows torch.float32"):
        C.sum_one(torch.tensor([[3e38, -3e38, 3e38]], dtype=torch.float32))


@pytest.mark.parametrize("kind", C.KINDS)
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_infinite_filters_are_refused(kind, bad):
    # Regression: unit_norm([inf, 1]) gave [nan, 0]; NaN passed through every projection
    w = torch.tensor([[1.0, 2.0], [bad, 1.0]])
    with pytest.raises(ValueError, match="filter 1 holds NaN or infinite values"):
        C.projected(w, kind)


@pytest.mark.parametrize("kind", C.REPARAMETRIZATIONS)
def test_reparametrize_refuses_bad_filters_and_leaves_the_layer_alone(kind):
    conv = nn.Conv2d(1, 2, 3)
    with torch.no_grad():
        conv.weight[1] = float("nan")
    with pytest.raises(ValueError, match="filter 1 holds NaN"):
        C.reparametrize(conv, kind)
    assert not parametrize.is_parametrized(conv)


@pytest.mark.parametrize("kind", ["unit_norm", "weight_norm", "standardized"])
def test_reparametrize_refuses_a_filter_without_a_direction(kind):
    # Regression: weight_norm on a zero filter gave NaN weights, while unit_norm refused it
    conv = nn.Conv2d(1, 2, 3)
    with torch.no_grad():
        conv.weight[0] = 0.0 if kind != "standardized" else 0.3
    with pytest.raises(ValueError, match="filter 0 is (zero|constant)"):
        C.reparametrize(conv, kind)
    assert not parametrize.is_parametrized(conv)


def test_zero_filters_where_the_set_allows_them():
    zero = torch.zeros(1, 4)
    np.testing.assert_array_equal(C.max_norm(zero, 1.0).numpy(), 0)
    np.testing.assert_allclose(C.sum_one(zero).numpy(), 0.25)
    np.testing.assert_allclose(C.simplex(zero).numpy(), 0.25)
    with pytest.raises(ValueError, match="filter 0 is zero"):
        C.unit_norm(zero)


def test_wrong_types_are_refused_naming_the_argument():
    with pytest.raises(TypeError, match="weight must be a torch tensor, got ndarray"):
        C.unit_norm(np.ones((2, 2)))
    with pytest.raises(TypeError, match="floating-point tensor, got torch.int64"):
        C.sum_one(torch.ones(2, 2, dtype=torch.int64))
    with pytest.raises(TypeError, match="module must be a torch.nn.Module"):
        C.project_("conv1", "unit_norm")
    with pytest.raises(TypeError, match="tangent_state must be True or False"):
        C.Projection(nn.Conv2d(1, 2, 3), "unit_norm", tangent_state="yes")


@pytest.mark.parametrize(
    ("radius", "error"),
    [
        ("1", TypeError),
        (True, TypeError),
        (None, TypeError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (-1.0, ValueError),
    ],
)
def test_projection_radius_must_be_a_finite_positive_number(radius, error):
    # Regression: Projection(radius='1') failed later with a raw message
    with pytest.raises(error, match="radius"):
        C.Projection(nn.Conv2d(1, 2, 3), "max_norm", radius=radius)
    with pytest.raises(error, match="radius"):
        C.max_norm(torch.ones(2, 2), radius)


def test_no_tangent_state_for_the_simplex():
    with pytest.raises(ValueError, match=r"kind \(with tangent_state=True\) must be one of"):
        C.Projection(nn.Conv2d(1, 2, 3), "simplex", tangent_state=True)


# ---------------------------------------------------------------- channels_last state


@pytest.mark.parametrize("kind", C.TANGENT_KINDS)
def test_remove_normal_edits_a_channels_last_tensor_in_place(kind):
    # Regression: reshape copied the non-contiguous state and the edit went to the copy
    generator = torch.Generator().manual_seed(0)
    w = C.projected(torch.randn(4, 3, 3, 3, dtype=torch.float64, generator=generator), kind, 0.5)
    t = torch.randn(4, 3, 3, 3, dtype=torch.float64, generator=generator)
    expected = t.clone()
    C.remove_normal_(expected, w, kind, 0.5)
    t = t.to(memory_format=torch.channels_last)
    assert not t.is_contiguous()
    C.remove_normal_(t, w, kind, 0.5)
    np.testing.assert_allclose(t.numpy(), expected.numpy(), atol=1e-14)


def test_tangent_state_on_a_channels_last_layer_removes_the_radial_momentum():
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 4, 3).to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(conv.parameters(), lr=0.1, momentum=0.9)
    hook = C.Projection(conv, "unit_norm", tangent_state=True, optimizer=optimizer)
    hook()
    images = torch.randn(16, 3, 8, 8).to(memory_format=torch.channels_last)
    for _ in range(5):
        optimizer.zero_grad()
        (conv(images) ** 2).mean().backward()
        optimizer.step()
        hook()
    buffer = optimizer.state[conv.weight]["momentum_buffer"]
    assert not buffer.is_contiguous()  # the case that failed: 1.0-1.5 of radial momentum stayed
    assert float(C.filter_sums(buffer * conv.weight.detach()).abs().max()) < 1e-6


# ---------------------------------------------------------------- frozen parameters


def test_frozen_parameters_are_no_reason_to_refuse_an_optimizer():
    # Regression: a frozen parameter held by the optimizer counted as a stale tensor, and
    # reparametrized_optimizer told its caller to use reparametrized_optimizer()
    model = small_cnn()
    model[3].bias.requires_grad_(False)
    optimizer = C.reparametrized_optimizer(
        model, model[0], "unit_norm", lambda params: torch.optim.SGD(params, lr=0.1)
    )
    C.check_optimizer(model, optimizer)
    trainable = [p for p in model.parameters() if p.requires_grad]
    C.check_optimizer(model, torch.optim.SGD(trainable, lr=0.1))


@pytest.mark.parametrize("kind", C.REPARAMETRIZATIONS)
def test_a_failed_reparametrized_optimizer_leaves_the_layer_as_it_was(kind):
    model, other = small_cnn(), small_cnn(2)
    weight = model[0].weight
    before = weight.detach().clone()
    with pytest.raises(ValueError, match="make_optimizer built an optimizer over other") as error:
        C.reparametrized_optimizer(
            model, model[0], kind, lambda params: torch.optim.SGD(other.parameters(), lr=0.1)
        )
    assert "use reparametrized_optimizer" not in str(error.value)
    assert not parametrize.is_parametrized(model[0])
    np.testing.assert_allclose(model[0].weight.detach().numpy(), before.numpy(), atol=1e-6)
    if kind != "weight_norm":
        assert model[0].weight is weight  # the very Parameter an optimizer may hold


# ---------------------------------------------------------------- affine sets: momentum


class SumZero(nn.Module):
    def forward(self, v):
        return C.sum_zero(v)


AFFINE = {"sum_one": C.SumOne, "sum_zero": SumZero}


@pytest.mark.parametrize("kind", ["sum_one", "sum_zero"])
def test_on_an_affine_set_the_momentum_correction_and_the_reparametrization_change_nothing(kind):
    """Projected momentum SGD = the same with tangent momentum = momentum SGD on v, w = P(v)."""
    runs = []
    for variant in ("projection", "tangent", "reparametrization"):
        model = small_cnn().double()
        C.project_(model[0], kind)
        if variant == "reparametrization":
            parametrize.register_parametrization(model[0], "weight", AFFINE[kind]())
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        hook = None
        if variant != "reparametrization":
            tangent = variant == "tangent"
            hook = C.Projection(model[0], kind, tangent_state=tangent, optimizer=optimizer)
        train(model, optimizer, steps=30, after_step=hook, dtype=torch.float64)
        runs.append(model[0].weight.detach().clone())
    np.testing.assert_allclose(runs[1].numpy(), runs[0].numpy(), atol=1e-12)
    np.testing.assert_allclose(runs[2].numpy(), runs[0].numpy(), atol=1e-12)
