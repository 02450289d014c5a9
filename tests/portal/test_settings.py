import datetime

from django.conf import settings
from django.utils import formats, translation


def test_dates_are_shown_day_first_with_slashes():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2024, 1, 2)) == "02/01/2024"
        assert formats.date_format(datetime.date(2024, 1, 2), "SHORT_DATE_FORMAT") == "02/01/2024"


def test_dates_typed_as_dd_mm_yyyy_are_parsed():
    from django import forms

    with translation.override("vi"):
        field = forms.DateField()
        assert field.clean("28/11/2026") == datetime.date(2026, 11, 28)


def test_the_portal_speaks_vietnamese_in_vietnam_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True


def test_passwords_are_hashed_with_argon2_by_default():
    from portal import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
