"""A small PMTiles archive the tests make with the PyPI ``pmtiles`` writer: raster tiles of zoom 0–2."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write


def tile_png(z: int, x: int, y: int) -> bytes:
    image = Image.new("RGB", (256, 256), (200 + 10 * z, 180 + 20 * x % 60, 160 + 20 * y % 80))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def make_pmtiles(path: Path, max_zoom: int = 2) -> Path:
    with write(str(path)) as writer:
        for z in range(max_zoom + 1):
            for x in range(2**z):
                for y in range(2**z):
                    writer.write_tile(zxy_to_tileid(z, x, y), tile_png(z, x, y))
        writer.finalize(
            {
                "tile_type": TileType.PNG,
                "tile_compression": Compression.NONE,
                "min_zoom": 0,
                "max_zoom": max_zoom,
                "min_lon_e7": int(118.6 * 1e7),
                "min_lat_e7": int(31.8 * 1e7),
                "max_lon_e7": int(118.9 * 1e7),
                "max_lat_e7": int(32.1 * 1e7),
                "center_zoom": 1,
                "center_lon_e7": int(118.78 * 1e7),
                "center_lat_e7": int(31.99 * 1e7),
            },
            {"name": "jishiyu test tiles", "attribution": "generated"},
        )
    return path
