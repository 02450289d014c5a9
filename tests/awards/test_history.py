import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from awards.history import records
from awards.history.importing import (
    AWARD_COLUMNS,
    AWARD_SHEET,
    RATING_COLUMNS,
    RATING_SHEET,
    ImportFailed,
    import_award_history,
    template_workbook,
)
from awards.models import AnnualRating, AwardRecord, Initiative
from tests.refusals import refused

DAY = datetime.date(2025, 1, 10)


def test_an_officer_records_an_award_with_history(world, catalogue):
    record = records.record_award(
        world.person,
        actor=world.ward_officer,
        item=catalogue.title("cstd-co-so"),
        year=2024,
        basis_kind="yearly",
        decision_number=" 12/QĐ-UBND ",
        decision_date=DAY,
    )
    assert record.decision_number == "12/QĐ-UBND"
    assert record.recipient_kind == "individual"
    entry = record.history.get()
    assert entry.history_user == world.ward_officer
    assert entry.history_change_reason == "awards.record.manual"


def test_the_same_achievement_cannot_be_recorded_twice(world, catalogue):
    fields = dict(
        item=catalogue.title("lao-dong-tien-tien"),
        year=2024,
        basis_kind="yearly",
        decision_number="1/QĐ",
        decision_date=DAY,
    )
    records.record_award(world.person, actor=world.ward_officer, **fields)
    with refused("award_exists"):
        records.record_award(world.person, actor=world.ward_officer, **fields)


def test_a_title_for_individuals_is_refused_for_a_collective(world, catalogue):
    with refused("item_not_for_recipient"):
        records.record_award(
            world.ward,
            actor=world.ward_officer,
            item=catalogue.title("cstd-co-so"),
            year=2024,
            basis_kind="yearly",
            decision_number="1/QĐ",
            decision_date=DAY,
        )


def test_a_household_is_recorded_at_its_locality(world, catalogue):
    record = records.record_award(
        world.ward,
        actor=world.ward_officer,
        item=catalogue.title("gia-dinh-van-hoa"),
        household_name="Nguyễn Văn Tư",
        year=2024,
        basis_kind="yearly",
        decision_number="3/QĐ",
        decision_date=DAY,
    )
    assert record.recipient_kind == "household"
    assert record.recipient_name == "Hộ Nguyễn Văn Tư"


def test_an_outsider_cannot_record_history_in_the_sibling_ward(world, catalogue):
    with pytest.raises(PermissionDenied):
        records.record_rating(world.person, actor=world.outsider, year=2024, rating="htxsnv")


def test_initiatives_used_by_an_award_cannot_be_used_again(world, catalogue):
    initiative = records.record_initiative(
        world.person, actor=world.ward_officer, name="Sổ tay số", level="unit", year=2024
    )
    fields = dict(
        item=catalogue.form("giay-khen"),
        year=2024,
        basis_kind="merit",
        decision_number="5/QĐ",
        decision_date=DAY,
    )
    record = records.record_award(
        world.person, actor=world.ward_officer, initiatives=[initiative], **fields
    )
    assert Initiative.objects.get(pk=initiative.pk).used_by == record
    with refused("initiative_used"):
        records.record_award(
            world.person,
            actor=world.ward_officer,
            initiatives=[initiative],
            **(fields | {"basis_kind": "ad_hoc", "basis_reference": "Bão số 3"}),
        )


def test_a_freeze_is_ended_with_a_reason(world):
    freeze = records.open_freeze(
        world.person, actor=world.ward_officer, kind="complaint", started_on=DAY
    )
    with refused("freeze_conclusion_required"):
        records.end_freeze(freeze, actor=world.ward_officer, ended_on=DAY, reason=" ")
    ended = records.end_freeze(
        freeze, actor=world.ward_officer, ended_on=DAY, reason="Đơn không có cơ sở"
    )
    assert ended.ended_on == DAY


def test_a_revoked_award_no_longer_stands(world, catalogue):
    record = records.record_award(
        world.person,
        actor=world.ward_officer,
        item=catalogue.title("lao-dong-tien-tien"),
        year=2024,
        basis_kind="yearly",
        decision_number="1/QĐ",
        decision_date=DAY,
    )
    records.revoke_award(
        record, actor=world.ward_officer, revoked_on=DAY, decision="9/QĐ", reason="Kê khai sai"
    )
    assert not AwardRecord.objects.standing().exists()


# -- Excel import ---------------------------------------------------------------------------


def workbook(award_rows=(), rating_rows=()) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = AWARD_SHEET
    sheet.append(list(AWARD_COLUMNS.values()))
    for row in award_rows:
        sheet.append(row)
    ratings = book.create_sheet(RATING_SHEET)
    ratings.append(list(RATING_COLUMNS.values()))
    for row in rating_rows:
        ratings.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def good_award(name="Nguyễn Thị Hồng"):
    return [
        "Cá nhân",
        "",
        name,
        "26000",
        "CSTĐCS",
        2024,
        "Hằng năm",
        "",
        "7/QĐ-UBND",
        "15/01/2025",
        "Ủy ban nhân dân phường",
    ]


def test_a_clean_workbook_imports_awards_and_ratings(world, catalogue):
    file = workbook(
        [
            good_award(),
            [
                "Tập thể",
                "",
                "",
                "26000",
                "Giấy khen",
                2024,
                "Công trạng",
                "",
                "8/QĐ",
                datetime.datetime(2025, 1, 20),
                "UBND phường",
            ],
        ],
        [
            ["Cá nhân", world.person.pk, "", "26000", 2024, "Hoàn thành xuất sắc nhiệm vụ"],
            ["Tập thể", "", "", "26000", 2023, "HTTNV"],
        ],
    )
    result = import_award_history(file, actor=world.ward_officer)
    assert (result.awards, result.ratings) == (2, 2)
    record = AwardRecord.objects.get(person=world.person)
    assert record.source == "imported" and record.decision_date == datetime.date(2025, 1, 15)
    assert AnnualRating.objects.get(person=world.person).rating == "htxsnv"


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(world, catalogue):
    bad_title = good_award()
    bad_title[4] = "Huy chương vàng"
    bad_date = good_award()
    bad_date[9] = "2025-01-15"
    file = workbook(
        [good_award(), bad_title, bad_date, good_award("Người Không Có")],
        [["Cá nhân", "", "Nguyễn Thị Hồng", "26000", 2024, "Giỏi"]],
    )
    with refused("import_rows_invalid") as failure:
        import_award_history(file, actor=world.ward_officer)
    messages = [str(error) for error in failure.value.errors]
    assert messages == [
        "Trang “Khen thưởng”, dòng 3: không có danh hiệu, hình thức “Huy chương vàng” "
        "trong danh mục.",
        "Trang “Khen thưởng”, dòng 4: ngày “2025-01-15” không đúng dạng dd/mm/yyyy.",
        "Trang “Khen thưởng”, dòng 5: không tìm thấy “Người Không Có” trong Phường Xuân Trung.",
        "Trang “Xếp loại”, dòng 2: xếp loại “Giỏi” không hợp lệ.",
    ]
    assert not AwardRecord.objects.exists()


def test_a_duplicate_inside_the_workbook_is_reported(world, catalogue):
    with pytest.raises(ImportFailed) as failure:
        import_award_history(workbook([good_award(), good_award()]), actor=world.ward_officer)
    assert [e.row for e in failure.value.errors] == [3]
    assert not AwardRecord.objects.exists()


def test_rows_outside_the_importers_scope_are_not_even_found(world, catalogue):
    with pytest.raises(ImportFailed) as failure:
        import_award_history(workbook([good_award()]), actor=world.outsider)
    assert "không tìm thấy đơn vị có mã “26000”" in str(failure.value.errors[0])


def test_a_viewer_may_not_import_inside_the_scope_they_see(world, catalogue):
    with pytest.raises(ImportFailed) as failure:
        import_award_history(workbook([good_award()]), actor=world.viewer)
    assert "không có quyền" in str(failure.value.errors[0])


def test_a_missing_column_is_reported_on_the_header_row(world):
    book = Workbook()
    book.active.title = AWARD_SHEET
    book.active.append(["Đối tượng", "Năm"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportFailed) as failure:
        import_award_history(buffer, actor=world.ward_officer)
    assert failure.value.errors[0].row == 1
    assert "Mã đơn vị" in failure.value.errors[0].message


def test_a_file_that_is_not_a_workbook_is_refused(world):
    with refused("workbook_unreadable"):
        import_award_history(io.BytesIO(b"not excel"), actor=world.ward_officer)


def test_the_template_imports_once_its_example_names_exist(world, catalogue, tmp_path):
    from tests.factories import make_person

    make_person(world.ward, "Nguyễn Văn A", gender="male")
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_workbook())
    call_command("import_award_history", str(path), user=world.ward_officer.username)
    assert AwardRecord.objects.count() == 1
    with pytest.raises(CommandError, match="Tệp có 2 dòng lỗi; không dòng nào được nhập"):
        call_command("import_award_history", str(path), user=world.ward_officer.username)


def test_award_history_is_scoped_by_the_persons_and_the_units_path(world, catalogue):
    mine = records.record_award(
        world.person,
        actor=world.ward_officer,
        item=catalogue.title("lao-dong-tien-tien"),
        year=2024,
        basis_kind="yearly",
        decision_number="1/QĐ",
        decision_date=DAY,
    )
    collective = records.record_award(
        world.ward,
        actor=world.ward_officer,
        item=catalogue.form("giay-khen"),
        year=2024,
        basis_kind="merit",
        decision_number="2/QĐ",
        decision_date=DAY,
    )
    assert set(AwardRecord.objects.visible_to(world.ward_officer)) == {mine, collective}
    assert set(AwardRecord.objects.visible_to(world.leader)) == {mine, collective}
    assert not AwardRecord.objects.visible_to(world.outsider).exists()
    records.record_rating(world.person, actor=world.ward_officer, year=2024, rating="httnv")
    assert not AnnualRating.objects.visible_to(world.outsider).exists()
    assert AnnualRating.objects.visible_to(world.ward_leader).count() == 1


def test_a_row_with_several_faults_reports_all_of_them(world, catalogue):
    row = good_award()
    row[0], row[3], row[5], row[9] = "Người ngoài hành tinh", "99999", "năm ngoái", "15-01-2025"
    with pytest.raises(ImportFailed) as failure:
        import_award_history(workbook([row]), actor=world.ward_officer)
    assert [str(error) for error in failure.value.errors] == [
        "Trang “Khen thưởng”, dòng 2: đối tượng “Người ngoài hành tinh” không hợp lệ.",
        "Trang “Khen thưởng”, dòng 2: không tìm thấy đơn vị có mã “99999”.",
        "Trang “Khen thưởng”, dòng 2: năm “năm ngoái” không hợp lệ.",
        "Trang “Khen thưởng”, dòng 2: ngày “15-01-2025” không đúng dạng dd/mm/yyyy.",
    ]
    assert not AwardRecord.objects.exists()


def test_a_malformed_workbook_is_refused_in_vietnamese(world):
    from tests.portal.test_excel import broken_sheet_xml

    with refused("workbook_unreadable"):
        import_award_history(broken_sheet_xml(), actor=world.ward_officer)


def test_the_history_import_has_a_row_cap(world, settings):
    settings.HISTORY_IMPORT_MAX_ROWS = 3
    rows = [good_award(f"Người {n}") for n in range(4)]
    with refused("workbook_unreadable"):
        import_award_history(workbook(rows), actor=world.ward_officer)


def test_the_template_offers_dropdowns_and_prints_on_a4():
    from openpyxl import load_workbook

    from awards.history.importing import template_workbook

    book = load_workbook(io.BytesIO(template_workbook()))
    awards, ratings = book[AWARD_SHEET], book[RATING_SHEET]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in awards.data_validations.dataValidation}
    assert lists["A2"] == '"Cá nhân,Tập thể,Hộ gia đình"'
    assert "Theo đợt" in lists["G2"]
    assert ratings.data_validations.dataValidation
    assert awards.page_setup.paperSize == 9 and awards.print_title_rows == "$1:$1"
