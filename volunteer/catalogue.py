"""Reads the reference catalogues (skills, activity categories, qualification types). Pure."""

from dataclasses import dataclass
from pathlib import Path

import yaml

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.yaml"


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    name_en: str
    kind: str = ""
    valid_for_days: int | None = None


@dataclass(frozen=True)
class Catalogue:
    skills: tuple[CatalogueEntry, ...]
    categories: tuple[CatalogueEntry, ...]
    qualification_types: tuple[CatalogueEntry, ...]


def read_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Catalogue(
        skills=tuple(CatalogueEntry(**item) for item in raw["skills"]),
        categories=tuple(CatalogueEntry(**item) for item in raw["categories"]),
        qualification_types=tuple(CatalogueEntry(**item) for item in raw["qualification_types"]),
    )
