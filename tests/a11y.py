"""Accessibility and HTML checks that any test can call.

- `assert_axe_clean(page)`: runs axe-core (vendored from the npm registry as
  tests/a11y_files/axe.min.js, version in its header; never served by the site) in a Playwright
  page and fails on any WCAG 2.0/2.1 A or AA violation, listing rule, help and elements.
- `assert_html_valid({url: html})`: the Nu HTML Checker (vnu-jar from npm, `make vnu`; needs Java)
  on many documents in one Java run; skips with a clear message when either is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess  # noqa: S404 - runs the local Java checker on files we wrote
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = Path(__file__).resolve().parent / "a11y_files" / "axe.min.js"
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "var" / "tools" / "vnu.jar"))
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    # evaluate() runs through the DevTools protocol, outside the page's Content-Security-Policy.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return result["violations"]


def assert_axe_clean(page) -> None:
    """Zero axe-core violations (WCAG 2.1 A and AA) on the page as it is now."""
    violations = axe_violations(page)
    if violations:
        lines = [f"axe-core: {len(violations)} overtreding(en) op {page.url}"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {', '.join(n['target'])}: {n['failureSummary']}" for n in v["nodes"][:5])
        pytest.fail("\n".join(lines))


def vnu_missing_reason() -> str | None:
    if not shutil.which("java"):
        return "Java ontbreekt voor de Nu HTML Checker: apt-get install default-jre-headless"
    if not VNU_JAR.exists():
        return f"vnu.jar ontbreekt ({VNU_JAR}): haal het op met `make vnu` (npm)"
    return None


def html_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors per document (url -> messages), in one Java run."""
    reden = vnu_missing_reason()
    if reden:
        pytest.skip(reden)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, (url, html) in enumerate(documents.items()):
            path = Path(tmp) / f"doc{i}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.name] = url
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
            [
                shutil.which("java"),
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                *(str(Path(tmp) / f"doc{i}.html") for i in range(len(documents))),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors: dict[str, list[str]] = {}
    for m in messages:
        url = paths.get(str(m.get("url", "")).rsplit("/", 1)[-1], m.get("url"))
        errors.setdefault(url, []).append(
            f"{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '')!r}]"
        )
    return errors


def assert_html_valid(documents: dict[str, str]) -> None:
    errors = html_errors(documents)
    assert errors == {}, "\n".join(f"{url}:\n  " + "\n  ".join(msgs) for url, msgs in errors.items())
