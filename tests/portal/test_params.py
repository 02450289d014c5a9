import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory

from portal.params import id_param, record_id, record_ids


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("abc", None),
        ("-1", None),
        ("0", None),
        ("1\x00", None),
        ("１２", None),  # full-width digits are digits to Python, not to the database
        ("1e5", None),
        ("99999999999999999999999", None),
        (str(2**63), None),
        (str(2**63 - 1), 2**63 - 1),
        ("x" * 5000, None),
    ],
)
def test_a_record_id_is_a_positive_bigint(raw, expected):
    assert record_id(raw) == expected


def test_malformed_ids_are_dropped_from_a_list():
    assert record_ids(["3", "abc", "99999999999999999999999", "4"]) == [3, 4]


def test_a_malformed_query_id_is_a_bad_request():
    factory = RequestFactory()
    assert id_param(factory.get("/", {"unit": "5"}), "unit") == 5
    assert id_param(factory.get("/"), "unit") is None
    with pytest.raises(BadRequest, match="không phải mã số hợp lệ"):
        id_param(factory.get("/", {"unit": "abc"}), "unit")
