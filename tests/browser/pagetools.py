"""Small in-page measurements shared by the browser tests (JavaScript run through Playwright)."""

from __future__ import annotations

# Rules a theme can break; axe's "best-practice" tags are included on purpose.
AXE_OPTIONS = {"resultTypes": ["violations"]}

AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary),
  }));
}"""


def run_axe(page, axe_source: str, options: dict | None = None) -> list[dict]:
    """axe-core's violations for the page as it is now.

    The script is evaluated through DevTools rather than added as a <script> tag, so the
    page's Content-Security-Policy (no inline scripts) stays in force while axe runs.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(AXE_RUN, options or AXE_OPTIONS)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)


HORIZONTAL_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [...document.querySelectorAll('body *')]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; })
    .filter(el => !el.closest('.site-nav, pre, .prose table'))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scroll: document.documentElement.scrollWidth, width, culprits};
}"""

# Every visible thing a finger can hit, smaller than the minimum, except links inside a
# sentence (WCAG 2.5.5 exempts inline targets) and elements hidden until focused.
SMALL_TAP_TARGETS = """(minimum) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const isInline = el => getComputedStyle(el).display === 'inline'
    && el.parentElement.textContent.trim().length > el.textContent.trim().length + 1;
  return [...document.querySelectorAll(selector)].filter(el => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width <= 1 || r.height <= 1 || style.visibility === 'hidden') return false;
    if (r.bottom < 0 || el.closest('.visually-hidden')) return false;
    if (isInline(el)) return false;
    return r.width < minimum - 0.5 || r.height < minimum - 0.5;
  }).map(el => `${el.tagName.toLowerCase()}.${el.className} « ${el.textContent.trim().slice(0, 30)} » `
             + `${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`);
}"""

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), cls: el.className, text: el.textContent.trim().slice(0, 40),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    inViewport: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    width: r.width, height: r.height,
  };
}"""

CUMULATIVE_LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  const shifts = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      total += entry.value;
      shifts.push(entry.sources.map(s => s.node ? s.node.nodeName + '.' + (s.node.className || '') : '?').join(', ')
                  + ' = ' + entry.value.toFixed(4));
    }
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({total, shifts}), 300);
})"""

PALETTE = """() => {
  const body = getComputedStyle(document.body);
  return {background: body.backgroundColor, text: body.color};
}"""


def parse_rgb(css_color: str) -> tuple[float, float, float]:
    """'rgb(12, 34, 56)' → (12, 34, 56); the forms getComputedStyle returns."""
    inside = css_color[css_color.index("(") + 1:css_color.index(")")]
    parts = inside.replace("/", " ").replace(",", " ").split()
    return tuple(float(part) for part in parts[:3])


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(parse_rgb(first)),
                              relative_luminance(parse_rgb(second))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
