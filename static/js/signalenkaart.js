/* The signal map (/signalen/kaart/): the page comes without its points; this script fetches them
 * as compact GeoJSON (id, point, status code, thema id) from the cached endpoint named in the
 * labels (`bron`) and clusters them with Leaflet.markercluster. Labels (status, thema names, the
 * link to a signal) come from a json_script element; stored text reaches the page only through
 * textContent. Without this script the page links to the list, which shows the same signals.
 */
(function () {
  "use strict";

  function leesJson(id) {
    var el = id && document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function tekstKnoop(tag, waarde) {
    var el = document.createElement(tag);
    el.textContent = waarde == null ? "" : String(waarde);
    return el;
  }

  function start() {
    var el = document.getElementById("signalenkaart");
    if (!el || typeof L === "undefined" || !L.markerClusterGroup) return;
    var cfg = leesJson(el.dataset.kaartConfig) || {};
    var labels = leesJson(el.dataset.kaartLabels) || {};
    var status = document.getElementById("signalenkaart-status");
    var map = L.map(el, { keyboard: true, minZoom: cfg.minZoom || undefined, maxZoom: cfg.maxZoom || undefined })
      .setView(cfg.center, cfg.zoom);
    L.tileLayer(cfg.tiles, cfg.tileOptions || {}).addTo(map);
    if (cfg.attributionPrefix && map.attributionControl) map.attributionControl.setPrefix(cfg.attributionPrefix);
    var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });

    function popup(feature) {
      var p = feature.properties || {};
      var div = document.createElement("div");
      div.appendChild(tekstKnoop("strong", (labels.thema || {})[p.t] || ""));
      div.appendChild(tekstKnoop("div", (labels.status || {})[p.s] || p.s || ""));
      var a = document.createElement("a");
      a.href = String(labels.detail || "").replace("/0/", "/" + Number(feature.id) + "/");
      a.textContent = (cfg.tekst && cfg.tekst.bekijk) || "";
      div.appendChild(a);
      return div;
    }

    fetch(labels.bron, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (data) {
        var markers = [];
        (data.features || []).forEach(function (f) {
          var c = f.geometry && f.geometry.coordinates;
          if (!c) return;
          var m = L.marker([c[1], c[0]], { keyboard: false });
          m.bindPopup(function () { return popup(f); });
          markers.push(m);
        });
        clusters.addLayers(markers);
        map.addLayer(clusters);
        if (markers.length) map.fitBounds(clusters.getBounds(), { maxZoom: 17, padding: [20, 20] });
        if (status) status.textContent = String(labels.geladen || "").replace("%(n)s", markers.length);
      })
      .catch(function () {
        if (status) status.textContent = labels.fout || "";
      });
    el.vbtKaart = map;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
