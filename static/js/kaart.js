/* VBT maps: the KaartWidget (point or polygon, storing GeoJSON in the form) and display maps.
 *
 * Markup comes from buurten/templates/widgets/kaart.html and from pages with [data-kaart-weergave].
 * Configuration (tiles, default view, Dutch texts) is read from a json_script element, so no text
 * lives in this file. Without this script the widget still works: the latitude/longitude inputs
 * (point) and the GeoJSON textarea (polygon) are ordinary form fields.
 */
(function () {
  "use strict";

  function leesJson(id) {
    var el = id && document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function tekst(cfg, sleutel, waarden) {
    var t = (cfg.tekst && cfg.tekst[sleutel]) || "";
    Object.keys(waarden || {}).forEach(function (k) { t = t.replace("%(" + k + ")s", waarden[k]); });
    return t;
  }

  function basisKaart(mapEl, cfg) {
    var opties = { keyboard: true };
    if (cfg.minZoom != null) opties.minZoom = cfg.minZoom;
    if (cfg.maxZoom != null) opties.maxZoom = cfg.maxZoom;
    // Leaflet's zoom buttons and marker say "Zoom in", "Zoom out" and "Marker": Dutch (or the
    // page's language) from the configuration instead.
    if (cfg.tekst && cfg.tekst.inzoomen) {
      L.Control.Zoom.prototype.options.zoomInTitle = cfg.tekst.inzoomen;
      L.Control.Zoom.prototype.options.zoomOutTitle = cfg.tekst.uitzoomen;
      L.Marker.prototype.options.alt = cfg.tekst.markering;
    }
    var map = L.map(mapEl, opties).setView(cfg.center, cfg.zoom);
    L.tileLayer(cfg.tiles, cfg.tileOptions || {}).addTo(map);
    // The prefix and the tiles' attribution are settings, never stored text (Leaflet shows them as HTML).
    if (cfg.attributionPrefix && map.attributionControl) map.attributionControl.setPrefix(cfg.attributionPrefix);
    return map;
  }

  /* Stored text (titles, names) only ever reaches Leaflet as a DOM node filled with textContent:
   * a string given to bindPopup or bindTooltip is parsed as HTML. */
  function tekstKnoop(tag, waarde) {
    var el = document.createElement(tag);
    el.textContent = waarde == null ? "" : String(waarde);
    return el;
  }

  function contextLaag(map, geojson) {
    if (!geojson) return null;
    return L.geoJSON(geojson, {
      interactive: false,
      style: { color: "#0b5394", weight: 2, fillOpacity: 0.05 }
    }).addTo(map);
  }

  function rond(x) { return Math.round(x * 1e6) / 1e6; }

  function puntKaart(el) {
    var cfg = leesJson(el.dataset.kaartConfig) || {};
    var input = document.getElementById(el.dataset.kaartInput);
    var latIn = document.getElementById(el.dataset.kaartLat);
    var lonIn = document.getElementById(el.dataset.kaartLon);
    var status = el.querySelector(".kaart-status");
    var knop = el.querySelector("[data-kaart-locatie]");
    var mapEl = el.querySelector(".kaart");
    var map = basisKaart(mapEl, cfg);
    var context = contextLaag(map, leesJson(el.dataset.kaartContext));
    var marker = null;

    function zet(lat, lon, bron) {
      lat = rond(lat); lon = rond(lon);
      if (!marker) {
        marker = L.marker([lat, lon], { draggable: true, keyboard: false }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          zet(p.lat, p.lng, "kaart");
        });
      } else {
        marker.setLatLng([lat, lon]);
      }
      input.value = JSON.stringify({ type: "Point", coordinates: [lon, lat] });
      if (bron !== "invoer") {
        latIn.value = lat;
        lonIn.value = lon;
      }
      if (status) status.textContent = tekst(cfg, "gekozen", { lat: lat, lon: lon });
      el.dispatchEvent(new CustomEvent("kaart:punt", { bubbles: true, detail: { lat: lat, lon: lon } }));
    }

    var start = null;
    try { start = input.value ? JSON.parse(input.value) : null; } catch (e) { start = null; }
    if (start && start.type === "Point") {
      zet(start.coordinates[1], start.coordinates[0], "start");
      map.setView([start.coordinates[1], start.coordinates[0]], Math.max(cfg.zoom || 13, 16));
    } else if (context && context.getLayers().length) {
      map.fitBounds(context.getBounds());
    }

    map.on("click", function (e) { zet(e.latlng.lat, e.latlng.lng, "kaart"); });
    mapEl.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target === mapEl) {
        e.preventDefault();
        var c = map.getCenter();
        zet(c.lat, c.lng, "kaart");
      }
    });

    function uitInvoer() {
      var lat = parseFloat(String(latIn.value).replace(",", "."));
      var lon = parseFloat(String(lonIn.value).replace(",", "."));
      if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
        zet(lat, lon, "invoer");
        map.panTo([lat, lon]);
      }
    }
    latIn.addEventListener("change", uitInvoer);
    lonIn.addEventListener("change", uitInvoer);

    if (knop && "geolocation" in navigator) {
      knop.hidden = false;
      knop.addEventListener("click", function () {
        if (status) status.textContent = tekst(cfg, "zoeken");
        navigator.geolocation.getCurrentPosition(function (pos) {
          zet(pos.coords.latitude, pos.coords.longitude, "locatie");
          map.setView([pos.coords.latitude, pos.coords.longitude], Math.max(map.getZoom(), 17));
        }, function () {
          if (status) status.textContent = tekst(cfg, "geenLocatie");
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
    el.vbtKaart = map;
  }

  /* Polygon mode (soort "polygon") or line mode (soort "line"): one shape, drawn with Leaflet.draw. */
  function vlakKaart(el, soort) {
    var lijn = soort === "line";
    var cfg = leesJson(el.dataset.kaartConfig) || {};
    var input = document.getElementById(el.dataset.kaartInput);
    var mapEl = el.querySelector(".kaart");
    var map = basisKaart(mapEl, cfg);
    var context = contextLaag(map, leesJson(el.dataset.kaartContext));
    var getekend = new L.FeatureGroup().addTo(map);
    var melding = el.querySelector(".kaart-status");

    function teken(tekstWaarde) {
      getekend.clearLayers();
      var geo = null;
      try { geo = tekstWaarde ? JSON.parse(tekstWaarde) : null; } catch (e) { geo = null; }
      if (!geo) return false;
      L.geoJSON(geo).eachLayer(function (l) { getekend.addLayer(l); });
      return getekend.getLayers().length > 0;
    }

    function schrijf() {
      var lagen = getekend.getLayers();
      input.value = lagen.length ? JSON.stringify(lagen[0].toGeoJSON().geometry) : "";
    }

    if (teken(input.value)) {
      map.fitBounds(getekend.getBounds());
    } else if (context && context.getLayers().length) {
      map.fitBounds(context.getBounds());
    }

    if (L.drawLocal) {
      var d = L.drawLocal.draw, ed = L.drawLocal.edit;
      d.toolbar.buttons.polygon = tekst(cfg, "tekenVlak");
      d.toolbar.actions.text = d.toolbar.actions.title = tekst(cfg, "annuleren");
      d.toolbar.finish.text = d.toolbar.finish.title = tekst(cfg, "klaar");
      d.toolbar.undo.text = d.toolbar.undo.title = tekst(cfg, "laatsteWissen");
      d.handlers.polygon.tooltip.start = tekst(cfg, "tekenStart");
      d.handlers.polygon.tooltip.cont = tekst(cfg, "tekenVerder");
      d.handlers.polygon.tooltip.end = tekst(cfg, "tekenEinde");
      d.handlers.polygon.error = tekst(cfg, "kruist");
      d.toolbar.buttons.polyline = tekst(cfg, "tekenLijn");
      d.handlers.polyline.tooltip.start = tekst(cfg, "lijnStart");
      d.handlers.polyline.tooltip.cont = tekst(cfg, "lijnVerder");
      d.handlers.polyline.tooltip.end = tekst(cfg, "lijnEinde");
      d.handlers.polyline.error = tekst(cfg, "kruist");
      ed.toolbar.buttons.edit = tekst(cfg, "bewerken");
      ed.toolbar.buttons.remove = tekst(cfg, "wissen");
      ed.toolbar.actions.save.text = ed.toolbar.actions.save.title = tekst(cfg, "opslaan");
      ed.toolbar.actions.cancel.text = ed.toolbar.actions.cancel.title = tekst(cfg, "annuleren");
      ed.toolbar.actions.clearAll.text = ed.toolbar.actions.clearAll.title = tekst(cfg, "allesWissen");
      ed.handlers.edit.tooltip.text = tekst(cfg, "bewerkUitleg");
      ed.handlers.edit.tooltip.subtext = "";
      ed.handlers.remove.tooltip.text = tekst(cfg, "wisUitleg");
    }
    map.addControl(new L.Control.Draw({
      draw: {
        polygon: lijn ? false : { allowIntersection: false, showArea: false },
        polyline: lijn ? { showLength: false } : false,
        rectangle: false, circle: false, marker: false, circlemarker: false
      },
      edit: { featureGroup: getekend }
    }));
    map.on(L.Draw.Event.CREATED, function (e) {
      getekend.clearLayers();
      getekend.addLayer(e.layer);
      schrijf();
      if (melding) melding.textContent = tekst(cfg, lijn ? "lijnGetekend" : "vlakGetekend");
    });
    map.on(L.Draw.Event.EDITED, schrijf);
    map.on(L.Draw.Event.DELETED, function () {
      schrijf();
      if (melding) melding.textContent = tekst(cfg, lijn ? "lijnGewist" : "vlakGewist");
    });
    input.addEventListener("change", function () {
      if (teken(input.value)) map.fitBounds(getekend.getBounds());
    });
    el.vbtKaart = map;
  }

  /* A read-only map of points (a FeatureCollection with properties titel and url). */
  function weergaveKaart(el) {
    var cfg = leesJson(el.dataset.kaartConfig) || {};
    var map = basisKaart(el, cfg);
    var context = contextLaag(map, leesJson(el.dataset.kaartContext));
    var punten = leesJson(el.dataset.kaartPunten);
    var laag = null;
    if (punten) {
      laag = L.geoJSON(punten, {
        onEachFeature: function (feature, layer) {
          var p = feature.properties || {};
          var div = document.createElement("div");
          div.appendChild(tekstKnoop("strong", p.titel || ""));
          if (p.status) div.appendChild(tekstKnoop("div", p.status));
          if (p.url) {
            var a = document.createElement("a");
            a.href = p.url;
            a.textContent = tekst(cfg, "bekijk");
            div.appendChild(a);
          }
          layer.bindPopup(div);
        }
      }).addTo(map);
    }
    if (laag && laag.getLayers().length) {
      map.fitBounds(laag.getBounds(), { maxZoom: 17, padding: [20, 20] });
    } else if (context && context.getLayers().length) {
      map.fitBounds(context.getBounds());
    }
    el.vbtKaart = map;
  }

  function start() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-kaart]").forEach(function (el) {
      if (el.vbtKaart) return;
      if (el.dataset.kaart === "polygon" || el.dataset.kaart === "line") vlakKaart(el, el.dataset.kaart);
      else puntKaart(el);
    });
    document.querySelectorAll("[data-kaart-weergave]").forEach(function (el) {
      if (!el.vbtKaart) weergaveKaart(el);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
