"""Great-circle distance: one formula for the geoparser, the event locator, the store's
``near`` filter and the evaluation, so that "within 25 km" means the same everywhere."""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_rows(lat: np.ndarray, lon: np.ndarray, lats: np.ndarray,
                      lons: np.ndarray) -> np.ndarray:
    """:func:`haversine_km` from each point (``lat``, ``lon``: shape (n,)) to each of
    ``lats``, ``lons`` (shape (m,)), as an (n, m) array: the same formula, vectorised."""
    p1, p2 = np.radians(lat)[:, None], np.radians(lats)[None, :]
    dl = np.radians(lons[None, :] - lon[:, None])
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a))))
