"""How a record's history reads: labels, values in words, the previous row as the baseline."""

from __future__ import annotations

from portal import services
from portal.history import history_entries, split_reason


def test_reasons_read_in_vietnamese_with_the_users_own_words():
    assert split_reason("portal.unit.closed: Sáp nhập vào phường mới") == (
        "Giải thể, sáp nhập",
        "Sáp nhập vào phường mới",
    )
    # A code built from a workflow step reads as the step, never as the code.
    assert split_reason("campaigns.campaign.launched") == ("Phát động", "")
    assert split_reason(None) == ("", "")


def test_foreign_keys_choices_and_booleans_are_shown_in_words(world):
    services.move_person(world.person, actor=world.reviewer, to_unit=world.sibling_ward)
    services.update_person(world.person, actor=world.reviewer, gender="male", is_direct_worker=True)
    updated, moved, _created = history_entries(world.person.history.all())
    assert moved.reason == "Chuyển đơn vị công tác" and moved.who == world.reviewer
    assert [(c.label, c.old, c.new) for c in moved.changes] == [
        ("Đơn vị công tác", "Phường Xuân Trung", "Phường Xuân An")
    ]
    assert [(c.label, c.old, c.new) for c in updated.changes] == [
        ("Giới tính", "Nữ", "Nam"),
        ("Là người lao động trực tiếp", "Không", "Có"),
    ]


def test_search_columns_and_tree_paths_are_not_shown(world):
    services.update_unit(world.ward_office, actor=world.ward_leader, name="Phòng Văn hóa")
    (renamed, _created) = history_entries(world.ward_office.history.all())
    assert [c.label for c in renamed.changes] == ["Tên"]


def test_a_window_is_compared_with_the_row_just_before_it(world):
    for phone in ("1", "2", "3"):
        services.update_unit(world.ward_office, actor=world.ward_leader, phone=phone)
    (second,) = history_entries(world.ward_office.history.all(), 1, 2)
    assert [(c.old, c.new) for c in second.changes] == [("1", "2")]
    assert history_entries(world.ward_office.history.all(), 10, 20) == []
