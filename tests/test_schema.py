"""The ledger layout (model/schema.py) and the record types (model/records.py) describe the same fields."""

from __future__ import annotations

import datetime as dt
import types
import typing
from pathlib import Path

import openpyxl
import pytest

from ledgercheck.ingest.loader import load_ledger
from ledgercheck.model.periods import Period
from ledgercheck.model.records import RECORD_TYPES, data_fields
from ledgercheck.model.schema import SHEETS, SHEETS_BY_KEY, FieldType

# The Python type a value of each field type becomes.
PYTHON_TYPE: dict[FieldType, type] = {
    FieldType.TEXT: str, FieldType.NAME: str, FieldType.ID_NUMBER: str, FieldType.PHONE: str,
    FieldType.ENUM: str, FieldType.REF: str, FieldType.INT: int, FieldType.YEAR: int, FieldType.NUMBER: float,
    FieldType.DATE: dt.date, FieldType.MONTH: Period, FieldType.NAMES: tuple, FieldType.ENUMS: tuple,
}


def _base_types(annotation: object) -> set[type]:
    """`str | None` → {str}; `tuple[str, ...]` → {tuple}."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return {t for arg in typing.get_args(annotation) for t in _base_types(arg)} - {type(None)}
    origin = typing.get_origin(annotation)
    return {origin if origin is not None else annotation}  # type: ignore[arg-type]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.key)
def test_each_record_type_has_exactly_the_fields_of_its_sheet(sheet: object) -> None:
    spec = SHEETS_BY_KEY[sheet.key]  # type: ignore[attr-defined]
    record_type = RECORD_TYPES[spec.key]
    assert set(data_fields(record_type)) == set(spec.by_key), spec.key
    hints = typing.get_type_hints(record_type)
    for field in spec.fields:
        assert _base_types(hints[field.key]) == {PYTHON_TYPE[field.type]}, (spec.key, field.key, hints[field.key])


def test_records_are_built_by_field_name_whatever_the_column_order(tmp_path: Path) -> None:
    """A sheet whose columns come in the reverse of the layout's order gives the same records."""
    forward, backward = tmp_path / "forward.xlsx", tmp_path / "backward.xlsx"
    orgs = [["组织编号", "组织名称", "组织类型", "上级组织编号", "成立日期", "本届选举日期", "任期年限",
             "延期换届批准至", "书记", "支委会委员人数"],
            ["D01", "机关党委", "机关党委", None, "2015-03-01", "2023-06-01", 5, None, "王一", 7],
            ["B01", "第一党支部", "党支部", "D01", "2016-04-01", "2024-05-10", 3, "2027-06-30", "李二", 5]]
    members = [["姓名", "身份证号", "性别", "出生日期", "所在组织编号", "党小组", "党员类别", "入党日期", "转正日期",
                "党内职务", "人员类别", "状态", "党员编号", "转入日期", "转出日期", "联系电话"],
               ["张三", None, "男", "1980-01-02", "B01", "一组", "正式党员", "2001-07-01", "2002-07-01", "书记",
                "在职", "正常", "N001", "2010-05-01", None, "13800000000"]]
    members = [[c for c, h in zip(row, members[0]) if h in {f.header for f in SHEETS_BY_KEY["members"].fields}]
               for row in members]
    for path, order in ((forward, 1), (backward, -1)):
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in (("组织", orgs), ("党员", members)):
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row[::order])
        book.save(path)
    first, second = load_ledger(forward).ledger, load_ledger(backward).ledger
    for a, b in zip([*first.orgs, *first.members], [*second.orgs, *second.members], strict=True):
        assert {n: getattr(a, n) for n in data_fields(type(a))} == {n: getattr(b, n) for n in data_fields(type(b))}
    member = first.members[0]
    assert (member.name, member.org_id, member.member_kind, member.joined_on, member.person_kind) == (
        "张三", "B01", "正式党员", dt.date(2001, 7, 1), "在职")
    assert first.orgs[1].committee_size == 5 and first.orgs[1].deferral_until == dt.date(2027, 6, 30)
