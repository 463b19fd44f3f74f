"""Pages of signalen, one module per page group; the URLs are in `signalen/urls.py`.

- `wijkrondes`: street walks; `loggen`: logging a signal (and the map lookup at a point);
  `signaal`: one signal with support, status and photos; `lijst`: the list, its map and CSV;
  `dashboard`: what waits for triage; `instellingen`: the team's draagvlak and retention settings;
  `teamkeuze`: which team a new walk or signal is for.

Views are thin: a form collects input, a service in `signalen.services` applies the rule, the view
redirects or renders. Reads go through `signalen.selectors` (the access rule) and
`signalen.selectors.pages`.
"""
