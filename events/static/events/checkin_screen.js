// The venue's screen asks the server for the current code, state and arrivals every few
// seconds, instead of reloading itself (a reload would lose a half-typed hand entry, and a
// meta refresh moves focus for people who use a screen reader).
(function () {
  "use strict";
  var main = document.getElementById("kiosk");
  if (!main) { return; }
  var url = main.dataset.statusUrl;
  var every = Math.max(5, parseInt(main.dataset.refreshSeconds, 10) || 30) * 1000;

  function show(screen) {
    main.dataset.state = screen.state;
    ["before", "open", "after"].forEach(function (state) {
      main.querySelector(".state-" + state).hidden = screen.state !== state;
    });
    main.querySelector("[data-field=arrivals]").textContent = screen.arrivals;
    main.querySelector("[data-field=opens_at]").textContent = screen.opens_at;
    var code = document.getElementById("checkin-code");
    if (screen.token && code.dataset.token !== screen.token) {
      code.innerHTML = screen.code; // the server's own SVG of the code, made by segno
      code.dataset.token = screen.token;
    }
    document.getElementById("stale").hidden = true;
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(show)
      .catch(function () { document.getElementById("stale").hidden = false; });
  }

  window.setInterval(ask, every);
})();
