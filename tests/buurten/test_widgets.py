"""The map widget: GeoJSON in a hidden input, accessible latitude/longitude inputs, cleaning."""

import json

import pytest
from django import forms
from playwright.sync_api import expect

from buurten.widgets import GeoJSONField, KaartWidget

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.68, 50.84], [5.70, 50.84], [5.70, 50.86], [5.68, 50.86], [5.68, 50.84]]],
}


class PuntForm(forms.Form):
    plek = GeoJSONField(label="Plek", context_geojson={"type": "FeatureCollection", "features": []})


class VlakForm(forms.Form):
    gebied = GeoJSONField(label="Gebied", geom_type="Polygon", required=False)


class RouteForm(forms.Form):
    route = GeoJSONField(label="Route", geom_type="LineString", required=False)


def test_point_widget_renders_map_locate_button_and_labelled_inputs():
    html = PuntForm(initial={"plek": {"type": "Point", "coordinates": [5.69, 50.85]}}).as_div()
    assert 'type="hidden" name="plek"' in html
    assert '<label for="id_plek_lat">Breedtegraad</label>' in html
    assert '<label for="id_plek_lon">Lengtegraad</label>' in html
    assert 'value="50.85"' in html and 'value="5.69"' in html
    assert "Gebruik mijn locatie" in html
    assert 'id="id_plek_context"' in html
    # The field is a group: a fieldset with a legend, not a label pointing at a hidden input.
    assert "<legend" in html and "Plek" in html
    media = str(PuntForm().media)
    assert "leaflet/leaflet.js" in media and "js/kaart.js" in media and "draw" not in media


def test_polygon_widget_loads_leaflet_draw_and_offers_text_editing():
    form = VlakForm(initial={"gebied": SQUARE})
    html = form.as_div()
    assert '<textarea name="gebied"' in html
    assert "GeoJSON van het vlak" in html
    assert "leaflet/draw/leaflet.draw.js" in str(form.media)


def test_typed_coordinates_become_a_point():
    form = PuntForm(data={"plek": "", "plek_lat": "50,851", "plek_lon": "5.69"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["plek"] == {"type": "Point", "coordinates": [5.69, 50.851]}


def test_hidden_value_is_used_without_typed_coordinates():
    form = PuntForm(data={"plek": json.dumps({"type": "Point", "coordinates": [5.7, 50.8]})})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["plek"]["coordinates"] == [5.7, 50.8]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"plek": "", "plek_lat": "", "plek_lon": ""}, "Dit veld is verplicht."),
        ({"plek_lat": "noord", "plek_lon": "5.69"}, "Deze plek is niet te lezen."),
        ({"plek_lat": "95", "plek_lon": "5.69"}, "De coördinaten liggen buiten de wereld"),
        ({"plek": "{niet json"}, "Deze plek is niet te lezen."),
        ({"plek": json.dumps(SQUARE)}, "Teken hier een plek."),
    ],
)
def test_bad_points_get_a_dutch_message(data, message):
    form = PuntForm(data=data)
    assert not form.is_valid()
    assert message in " ".join(form.errors["plek"])


def test_polygon_field_accepts_polygon_and_refuses_short_rings():
    assert VlakForm(data={"gebied": json.dumps(SQUARE)}).is_valid()
    short = {"type": "Polygon", "coordinates": [[[5.68, 50.84], [5.70, 50.84], [5.68, 50.84]]]}
    form = VlakForm(data={"gebied": json.dumps(short)})
    assert not form.is_valid()
    assert "minstens drie hoekpunten" in form.errors["gebied"][0]
    assert VlakForm(data={"gebied": ""}).is_valid()


def test_line_field_for_a_walked_route():
    line = {"type": "LineString", "coordinates": [[5.68, 50.84], [5.69, 50.85]]}
    form = RouteForm(data={"route": json.dumps(line)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["route"] == line
    for bad, message in [
        ({"type": "LineString", "coordinates": [[5.68, 50.84]]}, "minstens twee punten"),
        (SQUARE, "Teken hier een route."),
        ({"type": "LineString", "coordinates": [[5.68, 95.0], [5.69, 50.85]]}, "buiten de wereld"),
    ]:
        form = RouteForm(data={"route": json.dumps(bad)})
        assert not form.is_valid()
        assert message in form.errors["route"][0]
    html = RouteForm().as_div()
    assert "Kaart om een route te tekenen" in html and "GeoJSON van de route" in html
    assert "leaflet/draw/leaflet.draw.js" in str(RouteForm().media)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        KaartWidget(mode="lijn")


def _widget_page(page, live_server, form):
    """The widget on an otherwise empty page, with its static files from the live server."""
    page.goto("/health/")
    html = (
        "<!doctype html><html lang='nl'><head><meta name='viewport' content='width=device-width'>"
        "<link rel='stylesheet' href='/static/css/vbt.css'>"
        + "".join(form.media.render_css())
        + f"</head><body><form>{form.as_div()}</form>"
        + "".join(form.media.render_js())
        + "</body></html>"
    )
    page.set_content(html.replace('src="/static/', f'src="{live_server.url}/static/'))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_polygon_is_drawn_on_the_map_and_stored_as_geojson(page, live_server):
    _widget_page(page, live_server, VlakForm(initial={"gebied": SQUARE}))
    kaart = page.get_by_role("region", name="Kaart om een vlak te tekenen")
    box = kaart.bounding_box()
    # The initial polygon is drawn and the view fits it.
    assert page.locator("path.leaflet-interactive").count() == 1
    page.get_by_role("link", name="Teken een vlak").click()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    expect(page.get_by_role("link", name="Klaar")).to_be_visible()
    for px, py in [(0.4, 0.55), (0.8, 0.55), (0.6, 0.85), (0.4, 0.55)]:
        # A real tap: the pointer moves there first (Leaflet.draw places the point it hovers).
        page.mouse.move(x + px * w, y + py * h, steps=4)
        page.mouse.down()
        page.mouse.up()
    page.get_by_text("Het vlak als GeoJSON-tekst bewerken").click()
    tekst = page.get_by_label("GeoJSON van het vlak")
    value = json.loads(tekst.input_value())
    assert value["type"] == "Polygon"
    ring = value["coordinates"][0]
    assert len(ring) == 4 and ring[0] == ring[-1]
    # Around the square the map was fitted to (the map shows more than the square).
    assert all(5.66 <= lon <= 5.72 and 50.83 <= lat <= 50.87 for lon, lat in ring)
    assert page.get_by_role("status").filter(has_text="Vlak getekend.").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_route_is_drawn_as_a_line(page, live_server):
    _widget_page(page, live_server, RouteForm())
    kaart = page.get_by_role("region", name="Kaart om een route te tekenen")
    box = kaart.bounding_box()
    page.get_by_role("link", name="Teken de route").click()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    for px, py in [(0.3, 0.55), (0.5, 0.7), (0.7, 0.55)]:
        page.mouse.move(x + px * w, y + py * h, steps=4)
        page.mouse.down()
        page.mouse.up()
    page.get_by_role("link", name="Klaar").click()
    page.get_by_text("De route als GeoJSON-tekst bewerken").click()
    value = json.loads(page.get_by_label("GeoJSON van de route").input_value())
    assert value["type"] == "LineString" and len(value["coordinates"]) == 3
    expect(page.get_by_role("status").filter(has_text="Route getekend.")).to_be_visible()
