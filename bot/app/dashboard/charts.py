"""Bar charts as inline SVG, drawn on the server (no script, no build step): each is an image
with a title and a description a screen reader reads, beside a table of the same numbers.
Counts only; a group the small-group rule hides is labelled, never drawn."""

from markupsafe import Markup, escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 44, 56, 16
COLOURS = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#37474f")  # ≥ 4.5:1 on white


def bars(chart_id: str, title: str, categories: list[str],
         series: dict[str, list[float | None]],
         hidden: set[str] | frozenset[str] = frozenset()) -> Markup:
    """Grouped bars: one group per category, one bar per series (None: nothing to draw);
    categories in `hidden` say "fewer than 5" instead."""
    values = [v for vs in series.values() for v in vs if v is not None]
    top = max([*values, 1.0])
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(categories), 1)
    bar = slot * 0.8 / max(len(series), 1)
    parts = [f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 8}" y2="{TOP + plot_h}" '
             'stroke="#333"/>',
             f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="13">{_n(top)}</text>',
             f'<text x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end" font-size="13">0</text>']
    for i, category in enumerate(categories):
        x0 = LEFT + i * slot + slot * 0.1
        parts.append(f'<text x="{x0 + slot * 0.4:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                     f'font-size="13">{escape(category)}</text>')
        if category in hidden:
            parts.append(f'<text x="{x0 + slot * 0.4:.1f}" y="{TOP + plot_h - 6}" text-anchor="middle" '
                         'font-size="12" fill="#444">fewer than 5</text>')
            continue
        for j, (name, vs) in enumerate(series.items()):
            value = vs[i]
            if value is None:
                continue
            h = plot_h * value / top
            parts.append(f'<rect x="{x0 + j * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                         f'height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}">'
                         f'<title>{escape(name)}, {escape(category)}: {_n(value)}</title></rect>')
    legend = [f'<rect x="{LEFT + j * 150}" y="{HEIGHT - 18}" width="10" height="10" '
              f'fill="{COLOURS[j % len(COLOURS)]}"/><text x="{LEFT + j * 150 + 14}" y="{HEIGHT - 9}" '
              f'font-size="13">{escape(name)}</text>' for j, name in enumerate(series)]
    said = "; ".join(f"{category}: " + ("fewer than 5" if category in hidden else ", ".join(
        f"{name} {_n(vs[i]) if vs[i] is not None else 'none'}" for name, vs in series.items()))
        for i, category in enumerate(categories)) or "no data yet"
    return Markup(
        f'<svg id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(said)}</desc>'
        + "".join(parts + legend) + "</svg>")


def _n(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
