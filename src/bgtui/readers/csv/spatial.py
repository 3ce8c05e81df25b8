"""Point values: a Cypher map such as ``{latitude:55.6, longitude:12.9}``, with header defaults.

The column header may set defaults (``location:point{crs:WGS-84}``) that each value can
override, as neo4j-admin allows (https://neo4j.com/docs/operations-manual/current/import/).
Coordinates follow Cypher's ``point()``:
``x``/``y``/``z`` or ``longitude``/``latitude``/``height``, with ``crs`` or ``srid``.
"""

from __future__ import annotations

import math

from neo4j.spatial import CartesianPoint, Point, WGS84Point

from bgtui.readers.csv.map_literals import parse_map
from bgtui.readers.value_problem import ValueProblem

_CRS_SRID = {"cartesian": 7203, "cartesian-3d": 9157, "wgs-84": 4326, "wgs-84-3d": 4979}
_SRID_CRS = {srid: crs for crs, srid in _CRS_SRID.items()}
_COORDINATES = ("x", "y", "z", "longitude", "latitude", "height")
_KEYS = {*_COORDINATES, "crs", "srid"}


def parse_point(text: str, defaults: dict[str, str]) -> Point:
    """One point value, with the column's defaults under the value's own keys.

    Raises:
        ValueProblem: not a map, unknown keys, missing or non-numeric coordinates, a CRS
            that does not fit the coordinates.
    """
    given = parse_map(text)
    unknown = sorted(set(given) - _KEYS)
    if unknown:
        raise ValueProblem(
            f"expected point keys (x, y, z, longitude, latitude, height, crs, srid), "
            f"not {', '.join(unknown)}"
        )
    values = dict(defaults)
    if "crs" in given or "srid" in given:
        values.pop("crs", None)
        values.pop("srid", None)
    values.update(given)
    return _point(values)


def check_point_defaults(defaults: dict[str, str]) -> None:
    """Refuse header defaults a value could never complete (unknown keys or CRS)."""
    unknown = sorted(set(defaults) - _KEYS)
    if unknown:
        raise ValueProblem(f"a point column takes crs, srid or coordinates, not {unknown[0]!r}")
    _crs(defaults)


def _point(values: dict[str, str]) -> Point:
    geographic = any(key in values for key in ("longitude", "latitude", "height"))
    if geographic and any(key in values for key in ("x", "y", "z")):
        raise ValueProblem("expected x/y/z or longitude/latitude/height, not both")
    crs = _crs(values)
    if crs is None:
        third = "height" if geographic else "z"
        crs = ("wgs-84" if geographic else "cartesian") + ("-3d" if third in values else "")
    if crs.startswith("wgs-84") and not geographic:
        names = ("x", "y", "z")  # Cypher accepts x/y for a WGS-84 point: x is the longitude
    else:
        names = ("longitude", "latitude", "height") if geographic else ("x", "y", "z")
    dimensions = 3 if crs.endswith("-3d") else 2
    if crs.startswith("cartesian") and geographic:
        raise ValueProblem(f"expected x and y for a {crs} point, not longitude/latitude")
    if dimensions == 2 and names[2] in values:
        raise ValueProblem(f"expected two coordinates for a {crs} point, got {names[2]} too")
    coordinates = tuple(_number(values, name) for name in names[:dimensions])
    if crs.startswith("wgs-84"):
        if not -90 <= coordinates[1] <= 90:
            raise ValueProblem(f"expected a latitude between -90 and 90, got {coordinates[1]}")
        return WGS84Point(coordinates)
    return CartesianPoint(coordinates)


def _crs(values: dict[str, str]) -> str | None:
    if "srid" in values:
        try:
            srid = int(values["srid"])
        except ValueError:
            srid = -1
        if srid not in _SRID_CRS:
            raise ValueProblem(f"expected srid 7203, 9157, 4326 or 4979, got {values['srid']!r}")
        return _SRID_CRS[srid]
    if "crs" in values:
        crs = values["crs"].lower()
        if crs not in _CRS_SRID:
            raise ValueProblem(
                f"expected crs cartesian, cartesian-3D, WGS-84 or WGS-84-3D, got {values['crs']!r}"
            )
        return crs
    return None


def _number(values: dict[str, str], name: str) -> float:
    if name not in values:
        raise ValueProblem(f"expected a {name} coordinate")
    try:
        number = float(values[name])
    except ValueError:
        raise ValueProblem(f"expected a number for {name}, got {values[name]!r}") from None
    if not math.isfinite(number):
        raise ValueProblem(f"expected a finite number for {name}, got {values[name]!r}")
    return number
