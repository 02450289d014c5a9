def test_health_answers_without_login(client, db):
    response = client.get("/suc-khoe/")
    assert response.status_code == 200
    assert response.content == b"ok"
