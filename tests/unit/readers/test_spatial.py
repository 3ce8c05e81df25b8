"""Point values: Cypher maps, coordinate reference systems and header defaults."""

from __future__ import annotations

import pytest
from neo4j.spatial import CartesianPoint, WGS84Point

from bgtui.readers.csv.spatial import check_point_defaults, parse_point
from bgtui.readers.value_problem import ValueProblem


@pytest.mark.parametrize(
    ("text", "defaults", "kind", "coordinates", "srid"),
    [
        ("{latitude:55.6, longitude:12.9}", {}, WGS84Point, (12.9, 55.6), 4326),
        ("{latitude:55.6, longitude:12.9, height:100}", {}, WGS84Point, (12.9, 55.6, 100.0), 4979),
        ("{x:1, y:2}", {}, CartesianPoint, (1.0, 2.0), 7203),
        ("{x:1, y:2, z:3}", {}, CartesianPoint, (1.0, 2.0, 3.0), 9157),
        ("{x:12.9, y:55.6}", {"crs": "WGS-84"}, WGS84Point, (12.9, 55.6), 4326),
        ("{x:1, y:2, crs:'cartesian'}", {"crs": "WGS-84"}, CartesianPoint, (1.0, 2.0), 7203),
        ("{x:1, y:2, z:0, srid:9157}", {}, CartesianPoint, (1.0, 2.0, 0.0), 9157),
        ("{x:1, y:2}", {"crs": "cartesian-3D", "z": "5"}, CartesianPoint, (1.0, 2.0, 5.0), 9157),
        ("{ Latitude : -33.9 , Longitude : 151.2 }", {}, WGS84Point, (151.2, -33.9), 4326),
    ],
)
def test_points(
    text: str, defaults: dict[str, str], kind: type, coordinates: tuple[float, ...], srid: int
) -> None:
    point = parse_point(text, defaults)
    assert type(point) is kind
    assert (tuple(point), point.srid) == (coordinates, srid)


@pytest.mark.parametrize(
    ("text", "defaults", "fragment"),
    [
        ("{x:1}", {}, "expected a y coordinate"),
        ("{x:1, y:two}", {}, "expected a number for y"),
        ("{x:1, latitude:2}", {}, "not both"),
        ("{x:1, y:2, z:3}", {"crs": "cartesian"}, "expected two coordinates"),
        ("{latitude:1, longitude:2}", {"crs": "WGS-84-3D"}, "expected a height coordinate"),
        ("{latitude:91, longitude:2}", {}, "latitude between -90 and 90"),
        ("{latitude:1, longitude:2, crs:cartesian}", {}, "expected x and y"),
        ("{x:1, y:2, w:3}", {}, "not w"),
        ("{x:1, y:2, srid:1234}", {}, "expected srid"),
        ("{x:1, y:2", {}, "no closing brace"),
        ("{x:1, x:2, y:3}", {}, "'x' repeats"),
        ("{x:nan, y:1}", {}, "finite number"),
        ("x=1", {}, "expected a map"),
    ],
)
def test_bad_points(text: str, defaults: dict[str, str], fragment: str) -> None:
    with pytest.raises(ValueProblem, match=fragment):
        parse_point(text, defaults)


def test_header_defaults_are_checked_up_front() -> None:
    check_point_defaults({"crs": "WGS-84", "height": "0"})
    with pytest.raises(ValueProblem, match="not 'colour'"):
        check_point_defaults({"colour": "red"})
