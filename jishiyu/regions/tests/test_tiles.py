"""The self-hosted base map: the PMTiles file served with HTTP ranges (206, exact bytes, 416)."""

from __future__ import annotations

import pytest
from pmtiles.reader import Reader

from jishiyu.regions.tests.pmtiles_file import make_pmtiles, tile_png

URL = "/regions/map/tiles.pmtiles"


@pytest.fixture
def archive(tmp_path, settings):
    path = make_pmtiles(tmp_path / "district.pmtiles")
    settings.MAP_TILES_PMTILES = str(path)
    return path.read_bytes()


@pytest.fixture
def signed_in(client, personas):
    client.force_login(personas["community_worker"])
    return client


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_range_answers_206_with_exactly_those_bytes(signed_in, archive):
    response = signed_in.get(URL, HTTP_RANGE="bytes=0-126")
    body = _body(response)
    assert response.status_code == 206
    assert body == archive[:127]
    assert response["Content-Range"] == f"bytes 0-126/{len(archive)}"
    assert response["Content-Length"] == "127" and response["Accept-Ranges"] == "bytes"
    assert body[:7] == b"PMTiles"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=100-", 100, None), ("bytes=-50", -50, None), ("bytes=10-20", 10, 21), ("bytes=10-99999999", 10, None)],
)
def test_open_suffix_and_overlong_ranges_are_cut_to_the_file(signed_in, archive, header, first, last):
    response = signed_in.get(URL, HTTP_RANGE=header)
    assert response.status_code == 206
    assert _body(response) == archive[first:last]


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=20-10", "bytes=-0", "bytes=abc", "bytes=-", "bytes="])
def test_a_range_it_cannot_satisfy_answers_416_with_the_size(signed_in, archive, header):
    response = signed_in.get(URL, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(archive)}"


def test_without_a_range_the_whole_file_comes_and_head_gives_its_size(signed_in, archive):
    response = signed_in.get(URL)
    assert response.status_code == 200 and _body(response) == archive
    head = signed_in.head(URL)
    assert head.status_code == 200 and head["Content-Length"] == str(len(archive)) and head["ETag"]


def test_the_pmtiles_reader_reads_tiles_through_the_view(signed_in, archive):
    def get_bytes(offset, length):
        response = signed_in.get(URL, HTTP_RANGE=f"bytes={offset}-{offset + length - 1}")
        assert response.status_code == 206
        return _body(response)

    reader = Reader(get_bytes)
    assert reader.header()["max_zoom"] == 2
    assert reader.get(2, 1, 3) == tile_png(2, 1, 3)
    assert reader.metadata()["name"] == "jishiyu test tiles"


def test_signed_out_or_unconfigured_gets_nothing(client, personas, archive, settings):
    assert client.get(URL, HTTP_RANGE="bytes=0-10").status_code == 302  # to the sign-in page
    client.force_login(personas["resident"])
    settings.MAP_TILES_PMTILES = ""
    assert client.get(URL).status_code == 404


def test_the_map_component_offers_the_self_hosted_base_map_only_when_configured(signed_in, tree, settings, archive):
    page = signed_in.get(f"/regions/{tree.community.pk}/").content.decode()
    assert f'data-pmtiles-url="{URL}"' in page and "vendor/pmtiles/pmtiles.js" in page
    settings.MAP_TILES_PMTILES = ""
    page = signed_in.get(f"/regions/{tree.community.pk}/").content.decode()
    assert 'data-pmtiles-url=""' in page and "pmtiles.js" not in page and "js/map.js" in page
