from tests.campaign_fixtures import city, city_campaign, draft_campaign

__all__ = ["city", "city_campaign", "draft_campaign"]
