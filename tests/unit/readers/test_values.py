"""Scalar and array values: ranges, neo4j-admin's boolean rule, string options, arrays."""

from __future__ import annotations

import math
from typing import Any

import pytest

from bgtui.readers import ImportOptions
from bgtui.readers.csv.values import column_converter, id_converter, integer_converter
from bgtui.readers.value_problem import ValueProblem

OPTIONS = ImportOptions()


def convert(type_name: str, text: str, *, array: bool = False, **options: Any) -> Any:
    import_options = ImportOptions(**options) if options else OPTIONS
    return column_converter(type_name, array, {}, import_options)(text)


class TestIntegers:
    @pytest.mark.parametrize(
        ("type_name", "low", "high"),
        [("byte", -128, 127), ("short", -32768, 32767), ("int", -(2**31), 2**31 - 1)],
    )
    def test_declared_widths_are_range_checked(self, type_name: str, low: int, high: int) -> None:
        parse = integer_converter(type_name)
        assert (parse(str(low)), parse(str(high))) == (low, high)
        for outside in (low - 1, high + 1):
            with pytest.raises(ValueProblem, match=f"from {low} to {high}"):
                parse(str(outside))

    def test_long_holds_64_bits_and_no_more(self) -> None:
        parse = integer_converter("long")
        assert parse(str(2**63 - 1)) == 2**63 - 1
        with pytest.raises(ValueProblem):
            parse(str(2**63))

    @pytest.mark.parametrize("text", ["1.0", "1_000", "12abc", "٣", "0x10", "+", ""])
    def test_only_plain_decimal_digits(self, text: str) -> None:
        with pytest.raises(ValueProblem, match="expected an int"):
            convert("int", text)

    def test_surrounding_spaces_are_allowed(self) -> None:
        assert convert("long", " +17 ") == 17


class TestFloats:
    @pytest.mark.parametrize(
        ("text", "value"), [("1.5", 1.5), (".5", 0.5), ("-3e-2", -0.03), ("7", 7.0)]
    )
    def test_decimal_text(self, text: str, value: float) -> None:
        assert convert("double", text) == value

    def test_special_values(self) -> None:
        assert math.isnan(convert("float", "NaN"))
        assert convert("float", "-Infinity") == -math.inf

    @pytest.mark.parametrize("text", ["1,5", "1_0.5", "abc", "1.5.2", "e5"])
    def test_not_numbers(self, text: str) -> None:
        with pytest.raises(ValueProblem, match="expected a number"):
            convert("float", text)


class TestBooleansAndChars:
    @pytest.mark.parametrize(
        ("text", "value"), [("true", True), (" true ", True), ("TRUE", False), ("1", False)]
    )
    def test_true_only_for_the_text_true(self, text: str, value: bool) -> None:
        assert convert("boolean", text) is value

    def test_a_char_is_one_character(self) -> None:
        assert convert("char", "é") == "é"
        with pytest.raises(ValueProblem, match="single character"):
            convert("char", "ab")


class TestStrings:
    def test_strings_are_kept_as_written_by_default(self) -> None:
        assert convert("string", "  spaced  ") == "  spaced  "

    def test_trim_strings(self) -> None:
        assert convert("string", "  spaced  ", trim_strings=True) == "spaced"
        assert convert("string", "   ", trim_strings=True) == ""

    def test_ignore_empty_strings_leaves_blank_values_out(self) -> None:
        assert convert("string", "   ", trim_strings=True, ignore_empty_strings=True) is None

    def test_trimming_applies_to_ids(self) -> None:
        assert id_converter(False, ImportOptions(trim_strings=True))(" a1 ") == "a1"
        assert id_converter(False, OPTIONS)(" a1 ") == " a1 "
        assert id_converter(True, OPTIONS)(" 12 ") == 12


class TestArrays:
    def test_elements_take_the_element_type(self) -> None:
        assert convert("int", "1;2;3", array=True) == [1, 2, 3]

    def test_a_bad_element_is_named(self) -> None:
        with pytest.raises(ValueProblem) as problem:
            convert("int", "1;x;3", array=True)
        assert str(problem.value) == (
            "expected an int (a whole number from -2147483648 to 2147483647) in element 2 ('x')"
        )

    def test_empty_string_elements_are_kept_unless_ignored(self) -> None:
        assert convert("string", "a;;b", array=True) == ["a", "", "b"]
        assert convert("string", "a;;b", array=True, ignore_empty_strings=True) == ["a", "b"]

    def test_an_array_that_ends_up_empty_is_left_out(self) -> None:
        assert convert("string", ";", array=True, ignore_empty_strings=True) is None


class TestOptions:
    @pytest.mark.parametrize("tab", ["\t", "\\t", "TAB", "tab"])
    def test_tab_delimiter_spellings(self, tab: str) -> None:
        assert ImportOptions(delimiter=tab).delimiter == "\t"

    @pytest.mark.parametrize(
        ("options", "fragment"),
        [
            ({"delimiter": ";;"}, "single character"),
            ({"delimiter": ";"}, "three different characters"),
            ({"quote": ","}, "three different characters"),
            ({"id_type": "uuid"}, "id_type must be one of"),
            ({"format": "json"}, "format must be one of"),
            ({"delimiter": "\n"}, "line break"),
        ],
    )
    def test_options_neo4j_admin_would_refuse(self, options: dict[str, Any], fragment: str) -> None:
        with pytest.raises(ValueError, match=fragment):
            ImportOptions(**options)
