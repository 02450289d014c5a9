"""The chrome every page shares (templates/base.html): the parts drawn once per process stay
those the settings and the URLs give."""

from __future__ import annotations

from django.urls import reverse

from portal.templatetags import portal_nav


def test_the_asset_links_are_drawn_once_and_follow_a_changed_static_address(
    world, client, settings
):
    client.force_login(world.officer)
    page = client.get(reverse("home")).content.decode()
    assert 'href="/static/css/portal.css"' in page
    assert f'hx-get="{reverse("notification_bell")}"' in page
    assert f'href="{reverse("verify_upload")}"' in page
    drawn = dict(portal_nav._CONSTANT)
    assert {name for name, *_ in drawn} == {
        "portal/_assets.html",
        "portal/_bell.html",
        "portal/_public_links.html",
    }
    client.get(reverse("campaigns:list"))
    assert all(portal_nav._CONSTANT[key] is html for key, html in drawn.items())

    settings.STATIC_URL = "/tinh/"
    page = client.get(reverse("home")).content.decode()
    assert 'href="/tinh/css/portal.css"' in page
    assert "/static/" not in page


def test_a_visitor_gets_the_public_links_without_the_bell(db, client):
    page = client.get(reverse("awards:public_decisions")).content.decode()
    assert f'href="{reverse("verify_upload")}"' in page
    assert reverse("notification_bell") not in page
