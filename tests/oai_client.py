"""An OAI-PMH client for the tests: Sickle, as harvesters use it, sending its requests through the
Django test client instead of the network; every answer is validated against the official
OAI-PMH schema (tests/xml_schemas.py) before the client reads it. (pyoai, which ships that
schema, has a client too, but it no longer runs on lxml 6.)"""

from sickle import Sickle

from tests.xml_schemas import check_oai_pmh

ENDPOINT = "/oai/"


class _Response:
    """What Sickle reads of a requests.Response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.content = response.content
        self.headers = response.headers
        self.encoding = "utf-8"

    @property
    def text(self):
        return self.content.decode(self.encoding)

    def raise_for_status(self):
        if self.status_code >= 400:
            raise AssertionError(f"HTTP {self.status_code}")


class SickleOverTestClient(Sickle):
    """Sickle, harvesting through the Django test client; ``responses`` keeps every answer."""

    def __init__(self, client, http_method="GET", **kwargs):
        super().__init__(f"http://testserver{ENDPOINT}", http_method=http_method, **kwargs)
        self.client, self.responses = client, []

    def _request(self, kwargs):
        if self.http_method == "GET":
            response = self.client.get(ENDPOINT, kwargs)
        else:
            response = self.client.post(ENDPOINT, kwargs)
        assert response["Content-Type"] == "text/xml; charset=utf-8", response["Content-Type"]
        check_oai_pmh(response.content)
        self.responses.append(response)
        return _Response(response)
