def test_health_answers_without_login(client, db, settings):
    settings.REDIS_URL = ""  # without Redis there is no beat to report (tests run tasks eagerly)
    response = client.get("/suc-khoe/")
    assert response.status_code == 200
    assert response.content.decode().startswith("ok\n")
