def test_home_page_answers(client, db):
    assert client.get("/").status_code == 200
