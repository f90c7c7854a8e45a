"""Tests of helpers.comparison: variants are paired (same start, same batches), the paired
statistics agree with scipy, and every run measures what it says."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch.nn import functional as F

from helpers import constraints
from helpers.activity import layer_activity
from helpers.cnn import make_cnn
from helpers.comparison import Shift, Variant, draw_activity, run_variants
from helpers.digits import TRAIN_FONTS, make_digits
from helpers.training import train


@pytest.fixture(scope="module")
def data():
    return make_digits(256, TRAIN_FONTS, seed=0)


VARIANTS = (
    Variant("baseline"),
    Variant("unit norm", projection="unit_norm", tangent_state=True),
    Variant("WS reparametrized", reparametrization="standardized", start="standardized"),
)


def test_bad_variants_are_refused():
    with pytest.raises(ValueError, match="not both"):
        Variant("x", projection="unit_norm", reparametrization="unit_norm")
    with pytest.raises(ValueError, match="tangent_state needs a projection"):
        Variant("x", tangent_state=True)
    with pytest.raises(ValueError, match="projection must be one of"):
        Variant("x", projection="unit_sum")
    with pytest.raises(ValueError, match="no tangent state for 'simplex'"):
        Variant("x", projection="simplex", tangent_state=True)


def test_every_variant_starts_from_the_seed_projected_onto_its_set():
    plain = make_cnn(4)
    for variant in VARIANTS:
        model, hooks, _ = variant.build(4)
        for name in ("conv2.weight", "fc1.weight", "fc2.bias", "conv1.bias"):
            assert torch.equal(dict(model.named_parameters())[name], plain.state_dict()[name])
        kind = variant.projection or variant.start
        expected = (
            plain.conv1.weight if kind is None else constraints.projected(plain.conv1.weight, kind)
        )
        np.testing.assert_allclose(
            model.conv1.weight.detach().numpy(), expected.detach().numpy(), atol=1e-6
        )
        assert len(hooks) == (variant.projection is not None)
    # the unit-norm start is the same direction as the plain start
    model, _, _ = VARIANTS[1].build(4)
    cosine = F.cosine_similarity(model.conv1.weight.flatten(1), plain.conv1.weight.flatten(1))
    np.testing.assert_allclose(cosine.detach().numpy(), 1, atol=1e-6)


def test_runs_are_paired_deterministic_and_measured(data):
    shifts = [Shift("same"), Shift("brighter", offset=0.5)]
    kwargs = dict(epochs=1, lr=0.05, batch_size=64, browse_seed=1, progress=False)
    first = run_variants(VARIANTS, (1, 2), data, data, shifts, **kwargs)
    again = run_variants(VARIANTS[:1], (1, 2), data, data, shifts, **kwargs)
    assert list(first.runs) == [v.name for v in VARIANTS]
    np.testing.assert_array_equal(
        first.values("accuracy")["baseline"], again.values("accuracy")["baseline"]
    )
    for runs in first.runs.values():
        for seed, run in zip((1, 2), runs, strict=True):
            assert run.shifted["same"] == pytest.approx(run.accuracy)  # all 256 images
            assert run.history.test_accuracy.shape == ((1,) if seed == 1 else (0,))
            assert run.activity_start.shape == run.activity_end.shape == (8,)
            probe = torch.as_tensor(data[0][:500, None])
            np.testing.assert_array_equal(
                run.activity_end, layer_activity(run.model, probe)["activity"]
            )
            assert run.recorder.steps.tolist() == [0, 1, 2, 3, 4]
    # the constraint holds at every recorded step
    norms = first.runs["unit norm"][0].recorder.norms
    np.testing.assert_allclose(norms, 1, atol=1e-6)
    ws = first.runs["WS reparametrized"][1]
    np.testing.assert_allclose(ws.recorder.sums, 0, atol=1e-6)
    assert ws.v_norms.shape == (5, 8) and first.runs["baseline"][0].v_norms.shape == (0,)
    np.testing.assert_allclose(ws.v_norms[0], 1, atol=1e-6)  # v starts on the set
    assert first.values(lambda run: run.loss)["baseline"].shape == (2,)


def test_same_batches_for_every_variant(data):
    # two variants that are the same training give the same weights: batches are paired
    twins = (Variant("a"), Variant("b"))
    results = run_variants(
        twins, (3,), data, data, epochs=1, lr=0.05, batch_size=64, progress=False
    )
    a, b = (results.runs[name][0].model.conv1.weight for name in ("a", "b"))
    assert torch.equal(a, b)


def test_the_optimizer_is_the_callers_and_projections_still_hold(data):
    kwargs = dict(epochs=1, lr=1e-3, batch_size=64)
    variants = (Variant("baseline"), Variant("unit norm", projection="unit_norm"))
    results = run_variants(
        variants, (4,), data, data, optimizer=torch.optim.Adam, progress=False, **kwargs
    )
    alone = make_cnn(4)
    train(alone, data, seed=4, schedule="cosine", optimizer=torch.optim.Adam, **kwargs)
    baseline = results.runs["baseline"][0].model
    assert torch.equal(baseline.conv1.weight, alone.conv1.weight)  # the same Adam training
    projected = results.runs["unit norm"][0].recorder.weights.reshape(5, 8, -1)
    np.testing.assert_allclose(np.linalg.norm(projected, axis=2), 1, atol=1e-6)


def test_bad_arguments_of_run_variants(data):
    kwargs = dict(epochs=1, lr=0.05, batch_size=64, progress=False)
    with pytest.raises(ValueError, match="distinct names"):
        run_variants((Variant("a"), Variant("a")), (0,), data, data, **kwargs)
    with pytest.raises(ValueError, match="seeds must be distinct"):
        run_variants((Variant("a"),), (0, 0), data, data, **kwargs)


def test_draw_activity_marks_the_baselines_nearly_dead_filters(data):
    results = run_variants(
        VARIANTS[:2], (1, 2), data, data, epochs=1, lr=0.05, batch_size=64, progress=False
    )
    fig, axes = plt.subplots(1, 2)
    draw_activity(axes, results, ["baseline", "unit norm"], "baseline", dead=0.5)
    start = np.concatenate([run.activity_start for run in results.runs["baseline"]])
    red = axes[0].collections[1].get_offsets()
    assert len(red) == np.sum(start < 0.5) and np.all(red[:, 0] < 0.5)
    assert "stay nearly dead" in axes[1].get_title()
    plt.close(fig)


def test_shift_is_gain_then_offset():
    images = torch.tensor([0.0, 0.5, 1.0])
    np.testing.assert_allclose(Shift("x", offset=0.2, gain=0.5)(images).numpy(), [0.2, 0.45, 0.7])


def test_the_progress_bar_ends_with_a_printed_line(capsys):
    from helpers.comparison import Progress

    bar = Progress(2, show=True)
    bar.step("a")
    bar.step("b")
    bar.finish()
    assert capsys.readouterr().out.strip().endswith("trained 2 runs in 0 s")
    quiet = Progress(1, show=False)
    quiet.step("a")
    quiet.finish()
    assert capsys.readouterr().out == ""
