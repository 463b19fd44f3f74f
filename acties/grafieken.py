"""Small bar charts as inline SVG, computed on the server: no JavaScript, no CDN, no style attribute.

A chart is a list of rows (label, segments); each segment has a value and a CSS class that gives
its colour (static/css/dashboard.css). The template draws `<rect>`/`<text>` from the geometry here,
with a `<title>` per bar; every chart on the page has a table with the same figures beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

BREEDTE = 360  # viewBox units, about 1:1 on a 375 px phone; the SVG scales to its container
LABEL_BREEDTE = 130
WAARDE_RUIMTE = 56
RIJ_HOOGTE = 28
BALK_HOOGTE = 18


@dataclass
class Segment:
    label: str
    waarde: float
    klasse: str
    x: float = 0
    breedte: float = 0


@dataclass
class Rij:
    label: str  # shortened to fit beside the bars
    naam: str  # in full, for the bar's title
    segmenten: list[Segment]
    y: float = 0
    tekst: str = ""  # the figure printed after the bar

    @property
    def totaal(self) -> float:
        return sum(s.waarde for s in self.segmenten)

    @property
    def balk_y(self) -> float:
        return self.y + (RIJ_HOOGTE - BALK_HOOGTE) / 2

    @property
    def tekst_y(self) -> float:
        return self.y + RIJ_HOOGTE / 2 + 5

    @property
    def eind_x(self) -> float:
        return (self.segmenten[-1].x + self.segmenten[-1].breedte if self.segmenten else LABEL_BREEDTE) + 6


@dataclass
class Grafiek:
    titel: str
    rijen: list[Rij]
    breedte: int = BREEDTE
    label_breedte: int = LABEL_BREEDTE
    label_x: int = LABEL_BREEDTE - 8

    @property
    def hoogte(self) -> int:
        return max(1, len(self.rijen)) * RIJ_HOOGTE + 4

    @property
    def balk_hoogte(self) -> int:
        return BALK_HOOGTE


def _inkorten(label: str, lengte: int = 19) -> str:
    return label if len(label) <= lengte else label[: lengte - 1] + "…"


def grafiek(*, titel: str, rijen: list[tuple[str, list[Segment]]], opmaak=None) -> Grafiek:
    """A horizontal (stacked) bar chart scaled to the largest row total."""
    maximum = max((sum(s.waarde for s in segs) for _l, segs in rijen), default=0) or 1
    schaal = (BREEDTE - LABEL_BREEDTE - WAARDE_RUIMTE) / maximum
    uit = []
    for i, (label, segmenten) in enumerate(rijen):
        x = LABEL_BREEDTE
        for seg in segmenten:
            seg.x = x
            seg.breedte = round(seg.waarde * schaal, 1)
            x += seg.breedte
        rij = Rij(label=_inkorten(label), naam=label, segmenten=segmenten, y=i * RIJ_HOOGTE + 2)
        rij.tekst = opmaak(rij.totaal) if opmaak else f"{rij.totaal:g}"
        uit.append(rij)
    return Grafiek(titel=titel, rijen=uit)
