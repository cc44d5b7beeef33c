"""axe-core in the browser tests: the page's serious and critical WCAG 2.1 A/AA findings."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """Each serious or critical finding on the page as it stands: rule (impact): first element."""
    # Evaluated through the browser's DevTools protocol rather than added as an inline script tag,
    # which the page's Content-Security-Policy refuses.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['nodes'][0]['target']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
