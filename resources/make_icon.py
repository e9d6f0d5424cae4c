"""Write resources/noc-console.svg, the application icon.

A dark rounded square with three signal bars (green, amber, red) and a status dot: the console's
traffic-light view of the network. Pure standard library; run `python resources/make_icon.py`.
"""

from __future__ import annotations

from pathlib import Path

SIZE = 256
BACKGROUND = "#1b2330"
BORDER = "#2f3b4d"
BARS = [  # (x, height, colour): low to high, healthy to critical
    (56, 64, "#2ecc71"),
    (112, 112, "#f5a623"),
    (168, 160, "#e74c3c"),
]
BAR_WIDTH = 36
BASELINE = 208


def icon_svg() -> str:
    bars = "\n".join(
        f'  <rect x="{x}" y="{BASELINE - h}" width="{BAR_WIDTH}" height="{h}" rx="6" fill="{colour}"/>'
        for x, h, colour in BARS
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}">\n'
        "  <title>NOC Console</title>\n"
        f'  <rect x="8" y="8" width="{SIZE - 16}" height="{SIZE - 16}" rx="44" '
        f'fill="{BACKGROUND}" stroke="{BORDER}" stroke-width="6"/>\n'
        f"{bars}\n"
        f'  <rect x="48" y="{BASELINE + 10}" width="160" height="6" rx="3" fill="#5c6b80"/>\n'
        '  <circle cx="74" cy="76" r="14" fill="#e74c3c"/>\n'
        "</svg>\n"
    )


def main() -> None:
    out = Path(__file__).resolve().parent / "noc-console.svg"
    out.write_text(icon_svg(), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
