"""Checking the arrays that learners and notebooks pass in, with errors that say what is wrong."""

from __future__ import annotations

import numpy as np


def as_real_array(x, name: str, finite: bool = False) -> np.ndarray:
    """``x`` as a real float array of 1 or 2 dimensions, or a clear error naming ``name``.

    Integers and booleans become float64; float32 stays float32.

    Parameters
    ----------
    x : array_like
        What was passed in.
    name : str
        The argument's name, used in the error messages ("f", "kernel g").
    finite : bool
        Also refuse NaN and infinity (an FFT or a matrix product would smear them over the
        whole output).

    Raises
    ------
    TypeError
        For complex or non-numeric input.
    ValueError
        For 0-D or more than 2-D arrays, empty arrays, and (with ``finite``) NaN or infinity.
    """
    x = np.asarray(x)
    if np.iscomplexobj(x):
        raise TypeError(f"{name}: complex input is not supported (got dtype {x.dtype})")
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(f"{name} must be a real numeric array, got dtype {x.dtype}")
    if x.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D or 2-D, got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {x.shape}")
    x = x.astype(np.float32 if x.dtype == np.float32 else np.float64, copy=False)
    if finite and not np.isfinite(x).all():
        raise ValueError(f"{name} must hold finite values, got NaN or infinity")
    return x
