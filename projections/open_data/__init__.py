"""Open data: the public record as a Frictionless Data Package (CC0-1.0), per municipality
or for the whole country, read from the views under the rules of `projections.publicity`."""

from projections.open_data.package import PackageFile, open_data_package
from projections.open_data.tables import OpenDataTables, read_tables

__all__ = ["OpenDataTables", "PackageFile", "open_data_package", "read_tables"]
