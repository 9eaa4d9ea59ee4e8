"""Article links come from untrusted feeds: private addresses and odd schemes are refused."""

import pytest

from pipeline.config import FetchSettings
from pipeline.enrich.page import PageError, PageFetcher


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/secret",
    "http://localhost/admin",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata endpoint
    "http://10.0.0.8/",
    "http://[::1]/",
    "file:///etc/passwd",
    "javascript:alert(1)",
])
def test_private_and_odd_links_are_refused(url):
    fetcher = PageFetcher(FetchSettings())
    with pytest.raises(PageError, match="refused|non-public|scheme|no host"):
        fetcher.fetch(url)
    fetcher.close()


def test_private_networks_allowed_by_setting_reach_the_server():
    # Port 9 on loopback is closed: with the guard off, the failure is a connection error instead.
    fetcher = PageFetcher(FetchSettings(allow_private_networks=True, timeout_seconds=2))
    with pytest.raises(PageError) as err:
        fetcher.fetch("http://127.0.0.1:9/")
    assert "non-public" not in str(err.value)
    fetcher.close()
