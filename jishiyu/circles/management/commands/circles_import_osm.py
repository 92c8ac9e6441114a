"""Load facilities and the walking network from an OpenStreetMap extract (导入 OSM 数据) into a region."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from jishiyu.circles.network import NetworkError
from jishiyu.circles.osm import read_walking_network
from jishiyu.circles.services import coverage_queue, facilities_from_osm, network_store
from jishiyu.regions.models import Region


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """ "minlon,minlat,maxlon,maxlat" as four numbers, west < east and south < north."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise CommandError(f"--bbox: give four numbers minlon,minlat,maxlon,maxlat, not {text!r}") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise CommandError(f"--bbox: {text!r} is not a box (west < east, south < north, in degrees)")
    return west, south, east, north


class Command(BaseCommand):
    help = "Load facilities (through the catalogue's OSM tags) and the walking network from an .osm.pbf extract."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pbf", required=True, help="the OpenStreetMap extract (.osm.pbf)")
        parser.add_argument("--region", required=True, type=int, help="id of the region the data belongs to")
        parser.add_argument("--bbox", help="only this box of the extract: minlon,minlat,maxlon,maxlat")
        parser.add_argument("--no-network", action="store_true", help="load facilities only")
        parser.add_argument("--no-facilities", action="store_true", help="load the walking network only")
        parser.add_argument("--recompute", action="store_true", help="queue a coverage run afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(pk=options["region"]).first()
        if region is None:
            raise CommandError(f"--region: no region with id {options['region']}")
        bbox = parse_bbox(options["bbox"]) if options.get("bbox") else None
        path = options["pbf"]
        try:
            graph = None if options["no_network"] else read_walking_network(path, bbox)
            with transaction.atomic():
                counts = (
                    None
                    if options["no_facilities"]
                    else facilities_from_osm(region=region, path=path, bbox=bbox, graph=graph)
                )
                if graph is not None:
                    network_store(region=region, graph=graph, name=f"OSM {region.name}", source=str(path)[:200])
        except NetworkError as exc:
            raise CommandError(str(exc)) from None
        if graph is not None:
            self.stdout.write(f"walking network: {graph.n} nodes, {graph.edge_count} edges")
        if counts is not None:
            self.stdout.write(
                f"facilities: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged, "
                f"{counts.rejected} rejected (no position, or farther than the snapping limit from the network), "
                f"{counts.retired} switched off (no longer in the extract)"
            )
        if options["recompute"]:
            run = coverage_queue(region=region)
            self.stdout.write(f"coverage run {run.pk}: {run.status}")
