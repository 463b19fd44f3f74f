/* The team map: the team's buurten (and drawn subgebieden) from a json_script element,
 * drawn on the django-leaflet map and zoomed to fit. The same list is on the page as text. */
(function () {
  "use strict";

  var STIJL = {
    buurt: { color: "#0b5394", weight: 3, fillOpacity: 0.08 },
    subgebied: { color: "#a61b1b", weight: 2, dashArray: "6 4", fillOpacity: 0.12 }
  };

  window.teamkaartInit = function (map) {
    var el = document.getElementById("teamkaart-data");
    if (!el) return;
    var data;
    try { data = JSON.parse(el.textContent); } catch (e) { return; }
    var laag = L.geoJSON(data, {
      style: function (f) { return STIJL[f.properties.soort] || STIJL.buurt; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.naam + (f.properties.code ? " (" + f.properties.code + ")" : ""));
      }
    }).addTo(map);
    if (laag.getLayers().length) {
      map.fitBounds(laag.getBounds(), { padding: [12, 12] });
    }
  };
})();
