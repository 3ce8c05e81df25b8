"""File groups: header files, numeric part order, compression, markers, the manifest."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from bgtui.readers import CsvFormatError, SnapshotFormatError, open_snapshot
from bgtui.readers.csv.groups import discover_groups, natural_key
from tests.helpers.readers import WriteFile
from tests.unit.readers.reading import node_batches, nodes, relationships


def names(paths: tuple[Path, ...]) -> list[str]:
    return [path.name for path in paths]


def test_parts_follow_their_header_file_in_numeric_order(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people-header.csv", ":ID,:LABEL")
    for number in (10, 2, 1):
        write(f"nodes/people-part{number}.csv", f"p{number},Person")
    (group,) = discover_groups(snapshot, "nodes")
    assert (group.name, group.header_in_each_file) == ("people", False)
    assert names(group.files) == [
        "people-header.csv",
        "people-part1.csv",
        "people-part2.csv",
        "people-part10.csv",
    ]
    assert [row.id for row in nodes(snapshot)] == ["p1", "p2", "p10"]


def test_part_spellings_and_compression(snapshot: Path, write: WriteFile) -> None:
    write("nodes/movies_header.csv", ":ID,:LABEL")
    write("nodes/movies_part_3.csv.gz", "m3,Movie")
    write("nodes/movies-part-1.csv", "m1,Movie")
    write("nodes/movies.csv", "m0,Movie")
    with zipfile.ZipFile(snapshot / "nodes" / "movies-part2.csv.zip", "w") as archive:
        archive.writestr("movies-part2.csv", "m2,Movie\n")
    assert [row.id for row in nodes(snapshot)] == ["m0", "m1", "m2", "m3"]


def test_without_a_header_file_every_part_has_its_own_header(
    snapshot: Path, write: WriteFile
) -> None:
    write("nodes/people-part1.csv", ":ID,:LABEL", "p1,Person")
    write("nodes/people-part2.csv", ":ID,:LABEL", "p2,Person")
    write("nodes/people-part3.csv")  # an empty part, as parallel writers leave them
    (group,) = discover_groups(snapshot, "nodes")
    assert group.header_in_each_file
    assert [row.id for row in nodes(snapshot)] == ["p1", "p2"]


def test_parts_whose_headers_differ(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people-part1.csv", ":ID,:LABEL", "p1,Person")
    write("nodes/people-part2.csv", ":ID,name,:LABEL", "p2,Alan,Person")
    with pytest.raises(CsvFormatError) as error:
        open_snapshot(snapshot).check()
    assert str(error.value) == (
        "nodes/people-part2.csv, line 1: its header differs from the one in "
        "nodes/people-part1.csv; the files of group 'people' must start with the same header, "
        "or share one in people-header.csv"
    )


def test_groups_are_separate_and_in_name_order(snapshot: Path, write: WriteFile) -> None:
    write("nodes/movies.csv", ":ID(movies),:LABEL", "1,Movie")
    write("nodes/people.csv", ":ID(people),:LABEL", "1,Person")
    write("nodes/companies2.csv", ":ID(companies),:LABEL", "1,Company")
    write("nodes/companies10.csv", ":ID(companies),:LABEL", "2,Company")
    groups = [batch.group for batch in node_batches(snapshot)]
    assert groups == ["companies2", "companies10", "movies", "people"]


def test_markers_and_hidden_files_are_not_data(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID,:LABEL", "p1,Person")
    write("_SUCCESS")
    write("nodes/_SUCCESS")
    write("nodes/.people.csv.crc", "garbage")
    write("relationships/_started_1234")
    assert [row.id for row in nodes(snapshot)] == ["p1"]
    assert relationships(snapshot) == []


def test_a_stray_file_is_refused(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID,:LABEL", "p1,Person")
    write("nodes/people.csv.bz2", "x")
    with pytest.raises(SnapshotFormatError, match=r"nodes/people.csv.bz2 is not a CSV file"):
        open_snapshot(snapshot)


def test_two_header_files_for_one_group(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people-header.csv", ":ID")
    write("nodes/people_header.csv", ":ID")
    with pytest.raises(SnapshotFormatError, match="group 'people' in nodes/ has two header files"):
        open_snapshot(snapshot)


def test_a_zip_with_two_files(snapshot: Path, write: WriteFile) -> None:
    (snapshot / "nodes").mkdir()
    with zipfile.ZipFile(snapshot / "nodes" / "people.csv.zip", "w") as archive:
        archive.writestr("a.csv", ":ID\n")
        archive.writestr("b.csv", ":ID\n")
    with pytest.raises(SnapshotFormatError, match="must hold exactly one file, it holds 2"):
        nodes(snapshot)


class TestNamesFromGroups:
    def test_a_node_group_without_label_column_is_labelled_by_its_name(
        self, snapshot: Path, write: WriteFile
    ) -> None:
        write("nodes/Person.csv", ":ID,name", "p1,Ada")
        write("nodes/not-a-label.csv", ":ID(other),name", "x,Unlabelled")
        by_id = {row.id: row.labels for row in nodes(snapshot)}
        assert by_id == {"p1": ("Person",), "x": ()}

    def test_a_label_column_wins_over_the_name(self, snapshot: Path, write: WriteFile) -> None:
        write("nodes/Person.csv", ":ID,:LABEL", "p1,Actor", "p2,")
        assert [row.labels for row in nodes(snapshot)] == [("Actor",), ()]

    def test_a_relationship_group_without_type_column_is_typed_by_its_name(
        self, snapshot: Path, write: WriteFile
    ) -> None:
        write("nodes/people.csv", ":ID,:LABEL", "1,Person", "2,Person")
        write("relationships/KNOWS-part1.csv", ":START_ID,:END_ID,since:int", "1,2,1950")
        (row,) = relationships(snapshot)
        assert (row.type, row.properties) == ("KNOWS", {"since": 1950})


class TestManifest:
    def write_manifest(self, snapshot: Path, document: object, name: str = "manifest.json") -> None:
        (snapshot / name).write_text(json.dumps(document), encoding="utf-8")

    def test_manifest_groups_labels_and_types(self, snapshot: Path, write: WriteFile) -> None:
        write("data/people-header.csv", "id:ID(p),name")
        write("data/people-2.csv", "b,Alan")
        write("data/people-10.csv", "c,Grace")
        write("data/people-1.csv", "a,Ada")
        write("data/links.csv", ":START_ID(p),:END_ID(p),:TYPE", "a,b,", "b,c,LIKES")
        self.write_manifest(
            snapshot,
            {
                "nodes": [
                    {
                        "files": [
                            "data/people-header.csv",
                            "data/people-?.csv",
                            "data/people-1?.csv",
                        ],
                        "labels": ["Person", "Customer"],
                    }
                ],
                "relationships": [{"files": ["data/links.csv"], "type": "KNOWS"}],
            },
        )
        rows = nodes(snapshot)
        assert [row.id for row in rows] == ["a", "b", "c"]
        assert {row.labels for row in rows} == {("Person", "Customer")}
        batch = node_batches(snapshot)[0]
        assert batch.group == "people"
        assert [(row.start, row.type) for row in relationships(snapshot)] == [
            ("a", "KNOWS"),
            ("b", "LIKES"),
        ]

    def test_manifest_labels_add_to_the_label_column(
        self, snapshot: Path, write: WriteFile
    ) -> None:
        write("nodes/people.csv", ":ID,:LABEL", "a,Actor")
        self.write_manifest(
            snapshot, {"nodes": [{"files": ["nodes/people.csv"], "label": "Person"}]}, "import.json"
        )
        assert nodes(snapshot)[0].labels == ("Person", "Actor")

    def test_only_listed_files_are_read(self, snapshot: Path, write: WriteFile) -> None:
        write("nodes/people.csv", ":ID,:LABEL", "a,Person")
        write("nodes/unlisted.csv", ":ID,:LABEL", "z,Person")
        self.write_manifest(snapshot, {"nodes": [{"files": ["nodes/people.csv"]}]})
        assert [row.id for row in nodes(snapshot)] == ["a"]

    def test_a_checksum_manifest_is_not_a_group_manifest(
        self, snapshot: Path, write: WriteFile
    ) -> None:
        write("nodes/people.csv", ":ID,:LABEL", "a,Person")
        self.write_manifest(snapshot, {"files": [{"path": "nodes/people.csv", "sha256": "00"}]})
        assert [row.id for row in nodes(snapshot)] == ["a"]

    @pytest.mark.parametrize(
        ("document", "fragment"),
        [
            ({"nodes": {"files": []}}, "'nodes' must be a list of groups"),
            ({"nodes": [{"files": []}]}, "nodes group 1 needs 'files'"),
            ({"nodes": [{"files": ["nodes/missing.csv"]}]}, "nodes/missing.csv does not exist"),
            ({"nodes": [{"files": ["nodes/*.tsv"]}]}, "no file matches 'nodes/*.tsv'"),
            ({"nodes": [{"files": ["../outside.csv"]}]}, "must be a path inside the snapshot"),
            ({"nodes": [{"files": ["nodes/people.csv"], "labels": [""]}]}, "cannot be empty"),
            ({"nodes": [{"files": ["nodes/people.csv"], "colour": "red"}]}, "unexpected key"),
            ({"nodes": [], "edges": []}, "unexpected key 'edges'"),
            (
                {"relationships": [{"files": ["nodes/people.csv"], "type": "R" * 65535}]},
                "is not an allowed type name (a label, type or property name is at most",
            ),
        ],
    )
    def test_bad_manifests(
        self, snapshot: Path, write: WriteFile, document: object, fragment: str
    ) -> None:
        write("nodes/people.csv", ":ID,:LABEL", "a,Person")
        self.write_manifest(snapshot, document)
        with pytest.raises(SnapshotFormatError) as error:
            open_snapshot(snapshot)
        assert str(error.value).startswith("manifest.json")
        assert fragment in str(error.value)

    def test_a_manifest_that_is_not_json(self, snapshot: Path, write: WriteFile) -> None:
        write("nodes/people.csv", ":ID,:LABEL", "a,Person")
        write("manifest.json", "{nodes:")
        with pytest.raises(SnapshotFormatError, match=r"manifest\.json cannot be read as JSON"):
            open_snapshot(snapshot)


def test_natural_order() -> None:
    names_in_order = ["part1", "part2", "part10", "Part11", "part100"]
    assert sorted(reversed(names_in_order), key=natural_key) == names_in_order
