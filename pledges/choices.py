"""Code lists shared by the registrations' unit reviews and the giao ước: both propose awards
in the same forms, so the shared list sits below both model modules."""

from django.db import models


class ProposedAward(models.TextChoices):
    """Award forms a unit review may propose; the awards app maps each code to its catalogue."""

    BANG_KHEN_TTG = "bang_khen_ttg", "Bằng khen của Thủ tướng Chính phủ"
    CO_TINH = "co_tinh", "Cờ thi đua của Ủy ban nhân dân tỉnh"
    BANG_KHEN_TINH = "bang_khen_tinh", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    GIAY_KHEN = "giay_khen", "Giấy khen"
    TTLDXS = "ttldxs", "Tập thể lao động xuất sắc"
    CSTDCS = "cstdcs", "Chiến sĩ thi đua cơ sở"
