/* The team map: the team's buurten (and drawn subgebieden), zoomed to fit. The same list is on
 * the page as text.
 *
 * Markup: <div id="teamkaart" data-teamkaart data-kaart-config="…" data-kaart-data="…">, where the
 * two data attributes name json_script elements (tiles and view; a GeoJSON FeatureCollection whose
 * features have properties soort, naam and code). No inline script starts this map: the
 * Content-Security-Policy allows only our own files.
 */
(function () {
  "use strict";

  var STIJL = {
    buurt: { color: "#0b5394", weight: 3, fillOpacity: 0.08 },
    subgebied: { color: "#a61b1b", weight: 2, dashArray: "6 4", fillOpacity: 0.12 }
  };

  function leesJson(id) {
    var el = id && document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  // Names are typed by coordinators and imported from files: a tooltip gets them as text, never
  // as HTML (a string given to bindTooltip is parsed as HTML).
  function naamKnoop(p) {
    var el = document.createElement("span");
    el.textContent = (p.naam || "") + (p.code ? " (" + p.code + ")" : "");
    return el;
  }

  function teamkaart(el) {
    var cfg = leesJson(el.dataset.kaartConfig) || {};
    var data = leesJson(el.dataset.kaartData);
    var opties = {};
    if (cfg.minZoom != null) opties.minZoom = cfg.minZoom;
    if (cfg.maxZoom != null) opties.maxZoom = cfg.maxZoom;
    if (cfg.tekst && cfg.tekst.inzoomen) {  // Leaflet's controls in the page's language (kaart.js too)
      L.Control.Zoom.prototype.options.zoomInTitle = cfg.tekst.inzoomen;
      L.Control.Zoom.prototype.options.zoomOutTitle = cfg.tekst.uitzoomen;
    }
    var map = L.map(el, opties).setView(cfg.center || [52.1, 5.3], cfg.zoom || 13);
    if (cfg.tiles) L.tileLayer(cfg.tiles, cfg.tileOptions || {}).addTo(map);
    if (cfg.attributionPrefix && map.attributionControl) map.attributionControl.setPrefix(cfg.attributionPrefix);
    if (data) {
      var laag = L.geoJSON(data, {
        style: function (f) { return STIJL[(f.properties || {}).soort] || STIJL.buurt; },
        onEachFeature: function (f, layer) { layer.bindTooltip(naamKnoop(f.properties || {})); }
      }).addTo(map);
      if (laag.getLayers().length) map.fitBounds(laag.getBounds(), { padding: [12, 12] });
    }
    el.vbtKaart = map;
  }

  function start() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-teamkaart]").forEach(function (el) {
      if (!el.vbtKaart) teamkaart(el);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
