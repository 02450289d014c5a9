from tests.campaign_fixtures import (
    _documents_off_disk,
    city,
    city_campaign,
    draft_campaign,
    real_pdf,
)

__all__ = ["_documents_off_disk", "city", "city_campaign", "draft_campaign", "real_pdf"]
