"""Feature geometry of recurrent models: feature directions, projections, swept angle, spectral radius.

With linear recurrence the hidden state is ``h_t = sum_s w_s x_{t-s}`` with feature directions
``w_s = W_h^s W_x`` (Sharma et al. 2026): ``w_k`` is the output direction, ``w_s`` for ``s < k`` are
intermediate features that must be kept and ``w_s`` for ``s > k`` must be forgotten.  The readout
sees them through the projections ``c_s = W_y^T w_s``.  For a ReLU recurrence the same picture is
read off the impulse response: the hidden state ``s`` steps after a unit input.
"""

from __future__ import annotations


import torch

from tinymech.errors import InvalidInputError

from .models import RNNEnsemble


def feature_directions(W_x: torch.Tensor, W_h: torch.Tensor, n_steps: int) -> torch.Tensor:
    """Feature directions ``w_s = W_h^s W_x`` for ``s = 0 .. n_steps-1``.

    Args:
        W_x: input weights, shape ``(..., N_h, N_x)``.
        W_h: recurrent weights, shape ``(..., N_h, N_h)``.
        n_steps: number of lags ``S``.

    Returns:
        Tensor of shape ``(..., S, N_h, N_x)``.

    Raises:
        InvalidInputError: if the shapes do not match or ``n_steps < 1``.
    """
    if n_steps < 1:
        raise InvalidInputError(f"n_steps must be >= 1, found {n_steps}")
    if W_h.shape[-1] != W_h.shape[-2] or W_h.shape[-1] != W_x.shape[-2]:
        raise InvalidInputError(
            f"W_h must be (..., N_h, N_h) and W_x (..., N_h, N_x), found {tuple(W_h.shape)} "
            f"and {tuple(W_x.shape)}"
        )
    directions = [W_x]
    for _ in range(n_steps - 1):
        directions.append(W_h @ directions[-1])
    return torch.stack(directions, dim=-3)


def projections(W_y: torch.Tensor, directions: torch.Tensor) -> torch.Tensor:
    """Readout projections ``C_s = W_y^T w_s`` (``c_s`` for scalar input).

    Args:
        W_y: readout, shape ``(..., N_h, N_x)``.
        directions: feature directions, shape ``(..., S, N_h, N_x)``.

    Returns:
        Tensor of shape ``(..., S, N_x_out, N_x_in)``; entry ``[s, i, j]`` is the readout of output
        ``i`` when input feature ``j`` arrived ``s`` steps ago.
    """
    return W_y.transpose(-1, -2).unsqueeze(-3) @ directions


@torch.no_grad()
def impulse_response(
    model: RNNEnsemble, n_steps: int, feature: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Hidden states and readouts after a unit input on ``feature`` at time 0 (zeros after).

    For linear recurrence the hidden states are exactly ``w_s[:, feature]``; for a ReLU recurrence
    they define the effective feature directions (the network is positively homogeneous, so a unit
    input loses no generality in the sparse limit).

    Args:
        model: the ensemble.
        n_steps: number of time steps ``S``.
        feature: index of the input feature.

    Returns:
        ``(hidden, readout)`` of shapes ``(M, S, N_h)`` and ``(M, S, N_x)`` (readout before ReLU).

    Raises:
        InvalidInputError: if ``feature`` is out of range.
    """
    n_models, _, n_inputs = model.W_x.shape
    if not 0 <= feature < n_inputs:
        raise InvalidInputError(f"feature must be in [0, {n_inputs}), found {feature}")
    x = torch.zeros(n_models, 1, n_steps, n_inputs, dtype=model.W_x.dtype)
    x[:, :, 0, feature] = 1.0
    trace = model.run_with_trace(x)
    return trace.hidden[:, 0], trace.readout[:, 0]


def swept_angle(directions_2d: torch.Tensor, k: int) -> torch.Tensor:
    """Angle ``k theta`` swept from ``w_0`` to ``w_k`` in a 2-D hidden plane, in degrees.

    The signed angles between consecutive directions ``w_{s-1}, w_s`` (each in ``(-180, 180]``) are
    summed for ``s = 1 .. k`` and the absolute value is returned (the sense of rotation is a symmetry).

    Args:
        directions_2d: shape ``(..., S, 2)`` with ``S > k``.
        k: delay.

    Returns:
        Tensor of shape ``(...)``.

    Raises:
        InvalidInputError: if the hidden plane is not 2-D or ``S <= k``.
    """
    if directions_2d.shape[-1] != 2 or directions_2d.shape[-2] <= k:
        raise InvalidInputError(
            f"need shape (..., S > {k}, 2), found {tuple(directions_2d.shape)}"
        )
    a, b = directions_2d[..., :k, :], directions_2d[..., 1 : k + 1, :]
    cross = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    dot = (a * b).sum(-1)
    return torch.rad2deg(torch.atan2(cross, dot).sum(-1)).abs()


def eigen_angle(W_h: torch.Tensor) -> torch.Tensor:
    """Rotation per step ``theta = |arg lambda|`` of the top eigenvalue of ``W_h``, in degrees."""
    eig = torch.linalg.eigvals(W_h)
    top = eig.gather(-1, eig.abs().argmax(-1, keepdim=True)).squeeze(-1)
    return torch.rad2deg(torch.angle(top).abs())


def feature_dimensionality(embedding: torch.Tensor) -> torch.Tensor:
    """Feature dimensionality ``D_i = ||W_i||^2 / sum_j (W_i_hat . W_j)^2`` (Elhage et al. 2022).

    Args:
        embedding: embedding, shape ``(N_h, N_x)``; column ``i`` embeds feature ``i``.

    Returns:
        Tensor of shape ``(N_x,)``; a feature with its own dimension has 1, each of ``n`` features in a
        regular polygon in 2-D has ``2/n``, an unrepresented feature 0.
    """
    norms = embedding.norm(dim=0)
    unit = embedding / norms.clamp_min(1e-12)
    overlap = (unit.T @ embedding) ** 2
    return torch.where(
        norms > 1e-6, norms**2 / overlap.sum(-1).clamp_min(1e-12), torch.zeros_like(norms)
    )


def angles_in_plane(directions_2d: torch.Tensor) -> torch.Tensor:
    """Polar angle (degrees in ``[0, 360)``) of 2-D vectors of shape ``(..., 2)``."""
    return torch.rad2deg(torch.atan2(directions_2d[..., 1], directions_2d[..., 0])) % 360.0


def neighbour_gaps(embedding: torch.Tensor, active: torch.Tensor | None = None) -> torch.Tensor:
    """Angles (degrees) between angularly neighbouring columns of a 2-D embedding, going round once.

    A regular ``n``-gon gives ``n`` gaps of ``360 / n`` (a pentagon: 72 degrees); the gaps sum to 360.

    Args:
        embedding: embedding ``(2, N_x)``, column ``i`` the direction of feature ``i``.
        active: boolean ``(N_x,)`` of the features to include (default all); at least two.

    Returns:
        Tensor of shape ``(n_active,)``, in the order of increasing polar angle.

    Raises:
        InvalidInputError: if ``W`` is not ``(2, N_x)`` or fewer than two features are active.
    """
    if embedding.ndim != 2 or embedding.shape[0] != 2:
        raise InvalidInputError(f"need a (2, N_x) embedding, found {tuple(embedding.shape)}")
    active = (
        torch.ones(embedding.shape[1], dtype=torch.bool)
        if active is None
        else torch.as_tensor(active, dtype=torch.bool)
    )
    if active.shape != (embedding.shape[1],) or int(active.sum()) < 2:
        raise InvalidInputError(
            f"need a boolean mask of shape ({embedding.shape[1]},) with at least two active features"
        )
    angles = torch.sort(angles_in_plane(embedding[:, active].T)).values
    return torch.diff(torch.cat([angles, angles[:1] + 360.0]))


def rotation_basis(W_h: torch.Tensor) -> torch.Tensor:
    """Basis ``P (2, 2)`` of a 2-D hidden plane in which ``P^{-1} W_h P`` is a scaled rotation.

    A change of hidden basis ``h -> P^{-1} h`` (with ``W_x -> P^{-1} W_x``, ``W_h -> P^{-1} W_h P``,
    ``W_y -> P^T W_y``) leaves a linear-recurrence network's function and every projection ``c_s``
    unchanged, but geometric angles between the ``w_s`` are not invariant; in this basis they are the
    eigenvalue angle ``theta`` per step.  For complex eigenvalues ``a +- ib`` with eigenvector
    ``u + i v``, ``P = [u, v]`` (columns scaled to unit mean norm); for real eigenvalues ``P`` is
    the identity.

    Args:
        W_h: recurrent weights, shape ``(2, 2)``.

    Returns:
        ``P`` of shape ``(2, 2)``.

    Raises:
        InvalidInputError: if ``W_h`` is not ``2 x 2``.
    """
    if W_h.shape != (2, 2):
        raise InvalidInputError(f"rotation_basis needs a 2 x 2 W_h, found {tuple(W_h.shape)}")
    eigenvalues, eigenvectors = torch.linalg.eig(W_h.double())
    if abs(float(eigenvalues[0].imag)) < 1e-9:
        return torch.eye(2, dtype=W_h.dtype)
    vector = eigenvectors[:, 0]
    basis = torch.stack([vector.real, vector.imag], dim=1)
    basis = basis / basis.norm(dim=0).mean()
    return basis.to(W_h.dtype)


def k_theta(W_h: torch.Tensor, k: int) -> torch.Tensor:
    """Swept angle ``k theta`` from the eigenvalue angle of ``W_h`` (degrees), invariant to the hidden basis.

    Args:
        W_h: shape ``(..., N_h, N_h)``; k: delay.

    Returns:
        Tensor of shape ``(...)``; a real negative top eigenvalue counts as 180 degrees per step.
    """
    return k * eigen_angle(W_h)
