def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200


def test_login_as_reaches_dashboard(client, login_as):
    login_as("admin")
    assert client.get("/internal/").status_code == 200
