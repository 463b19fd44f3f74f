"""The load row's verdict from locust's CSV, the tally's wait and the correctness check."""

from bench.load.run import oordeel, stats

KOP = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
    "99.99%,100%\n"
)


def _csv(tmp_path, rows):
    path = tmp_path / "locust_stats.csv"
    lines = [
        f"GET,{naam},{n},{fouten},{p50},0,0,0,0,{rps},0,{p50},0,0,0,0,{p95},0,{p99},0,0,0"
        for naam, n, fouten, p50, p95, p99, rps in rows
    ]
    path.write_text(KOP + "\n".join(lines) + "\n")
    return stats(path)


GOED = [
    ("basis: triviale view", 1000, 0, 10, 20, 30, 5.0),
    ("staff: signalenlijst", 1000, 0, 100, 700, 900, 5.0),
    ("staff: steun toevoegen (formulier)", 10, 0, 100, 5000, 5000, 0.1),
    ("publiek: buurtpagina", 1000, 0, 50, 250, 400, 5.0),
    ("Aggregated", 3010, 0, 50, 500, 900, 15.0),
]
WACHT = {"max_wacht_s": 12.0, "nog_gemarkeerd": 0}


def test_all_targets_met(tmp_path):
    ok, tekst = oordeel(_csv(tmp_path, GOED), WACHT, [])
    assert ok, tekst
    assert "staff: signalenlijst: 1,000 verzoeken, 5.0/s, p50/p95/p99 100/700/900 ms" in tekst
    assert "10.0× de p50 van de triviale view" in tekst
    assert "(formulier)" not in tekst  # the form GETs before a POST are not a request type of their own


def test_a_slow_public_page_fails(tmp_path):
    rows = [r if r[0] != "publiek: buurtpagina" else (*r[:4], 300, 400, 5.0) for r in GOED]
    assert not oordeel(_csv(tmp_path, rows), WACHT, [])[0]


def test_errors_over_a_tenth_of_a_percent_fail(tmp_path):
    rows = [r if r[0] != "Aggregated" else ("Aggregated", 3010, 4, 50, 500, 900, 15.0) for r in GOED]
    assert not oordeel(_csv(tmp_path, rows), WACHT, [])[0]


def test_a_late_tally_or_a_problem_fails(tmp_path):
    rijen = _csv(tmp_path, GOED)
    assert not oordeel(rijen, {"max_wacht_s": 301.0, "nog_gemarkeerd": 0}, [])[0]
    assert not oordeel(rijen, {"max_wacht_s": 1.0, "nog_gemarkeerd": 3}, [])[0]
    ok, tekst = oordeel(rijen, WACHT, ["signaal 7: dubbele historieregel – → nieuw"])
    assert not ok
    assert "signaal 7: dubbele historieregel" in tekst
