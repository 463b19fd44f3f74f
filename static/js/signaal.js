/* Signal pages. Every form is sent once per tap. On the logging page a signal about a person is
 * confidential, and after a point is placed the page shows the buurt and open signals of the same
 * thema nearby (the server checks both again). */
(function () {
  "use strict";
  // A double tap on a slow phone connection must not send a form twice.
  document.querySelectorAll("form.formulier[method=post]").forEach(function (f) {
    var bezig = false;
    f.addEventListener("submit", function (e) {
      if (bezig) { e.preventDefault(); return; }
      bezig = true;
      window.setTimeout(function () { bezig = false; }, 8000);
    });
  });

  var form = document.querySelector(".signaalformulier");
  if (!form) return;
  var overPersoon = form.querySelector("[name=over_persoon]");
  var vertrouwelijk = form.querySelector("[name=vertrouwelijk]");
  var thema = form.querySelector("[name=thema]");
  var nabijVak = form.querySelector("[data-nabij]");
  var buurtTekst = form.querySelector("[data-punt-buurt]");
  var teksten = {};
  try { teksten = JSON.parse(document.getElementById("nabij-tekst").textContent) || {}; } catch (e) { teksten = {}; }
  var punt = null;
  var volgnummer = 0;

  if (overPersoon && vertrouwelijk) {
    var bijwerken = function () {
      if (overPersoon.checked) vertrouwelijk.checked = true;
    };
    overPersoon.addEventListener("change", bijwerken);
    vertrouwelijk.addEventListener("change", bijwerken);
    bijwerken();
  }

  function toonNabij(data) {
    if (buurtTekst) {
      buurtTekst.hidden = false;
      buurtTekst.textContent = data.buurt
        ? (teksten.buurt || "").replace("%(buurt)s", data.buurt.naam)
        : (teksten.buiten || "");
    }
    if (!nabijVak) return;
    nabijVak.textContent = "";
    if (!data.nabij || !data.nabij.length) { nabijVak.hidden = true; return; }
    var kop = document.createElement("p");
    kop.textContent = teksten.kop || "";
    nabijVak.appendChild(kop);
    var lijst = document.createElement("ul");
    lijst.className = "signaalkaartjes";
    data.nabij.forEach(function (s) {
      var li = document.createElement("li");
      li.className = "signaalkaartje";
      var titel = document.createElement("strong");
      titel.textContent = s.titel + " (" + s.afstand_m + " m)";
      var a = document.createElement("a");
      a.className = "knop knop-breed";
      a.href = s.steun_url;
      a.textContent = teksten.knop || "";
      a.setAttribute("aria-label", (teksten.knop || "") + ": " + s.titel);
      li.appendChild(titel);
      li.appendChild(a);
      lijst.appendChild(li);
    });
    nabijVak.appendChild(lijst);
    nabijVak.hidden = false;
  }

  function vraag() {
    if (!punt || !form.dataset.plekUrl) return;
    var nummer = ++volgnummer;
    var url = form.dataset.plekUrl + "&lat=" + encodeURIComponent(punt.lat) + "&lon=" +
      encodeURIComponent(punt.lon) + "&thema=" + encodeURIComponent(thema ? thema.value : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && nummer === volgnummer) toonNabij(data); })
      .catch(function () { /* the server repeats the check on saving */ });
  }

  form.addEventListener("kaart:punt", function (e) { punt = e.detail; vraag(); });
  if (thema) thema.addEventListener("change", vraag);
})();
