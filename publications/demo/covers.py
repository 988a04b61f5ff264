"""Cover images and expert portraits drawn with Pillow: deterministic for a given seed, so that
two runs of the demo loader draw the same pictures."""

import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

PALETTES = [
    ("#12355b", "#d72638", "#f2e3bc", "#3f88c5"),
    ("#1b4332", "#74c69d", "#f4a261", "#e9f5db"),
    ("#3d405b", "#e07a5f", "#f2cc8f", "#81b29a"),
    ("#22223b", "#9a8c98", "#f2e9e4", "#c9ada7"),
    ("#0b3954", "#087e8b", "#ff5a5f", "#bfd7ea"),
    ("#2b2d42", "#ef233c", "#edf2f4", "#8d99ae"),
    ("#264653", "#2a9d8f", "#e9c46a", "#e76f51"),
    ("#3c1642", "#086375", "#1dd3b0", "#affc41"),
]
INSTITUTE = "Institute for International Studies"


def _font(size):
    return ImageFont.load_default(size=size)


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _png(image):
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def cover_png(title, kicker="", seed=0, size=(720, 960)):
    """A cover: a composition of circles, bands and triangles in one palette, then the title."""
    rng = random.Random(seed)
    dark, accent, light, second = rng.choice(PALETTES)
    width, height = size
    image = Image.new("RGB", size, dark)
    draw = ImageDraw.Draw(image)
    art_bottom = int(height * 0.55)
    for _ in range(rng.randint(5, 9)):
        colour = rng.choice((accent, light, second))
        shape = rng.choice(("circle", "band", "triangle"))
        x, y = rng.randint(-80, width), rng.randint(-80, art_bottom)
        r = rng.randint(40, 220)
        if shape == "circle":
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        elif shape == "band":
            draw.polygon([(x, y), (x + 2 * r, y), (x + r, y + r), (x - r, y + r)], fill=colour)
        else:
            draw.polygon([(x, y), (x + r, y + 2 * r), (x - r, y + 2 * r)], fill=colour)
    draw.rectangle((0, art_bottom, width, height), fill=light)
    draw.rectangle((0, art_bottom, width, art_bottom + 10), fill=accent)
    margin = 48
    y = art_bottom + 36
    if kicker:
        draw.text((margin, y), kicker.upper(), font=_font(22), fill=accent)
        y += 40
    title_font = _font(38)
    for line in _wrap(draw, title, title_font, width - 2 * margin)[:6]:
        draw.text((margin, y), line, font=title_font, fill=dark)
        y += 48
    draw.text((margin, height - 56), INSTITUTE, font=_font(20), fill=dark)
    return _png(image)


def portrait_png(name, seed=0, size=(480, 480)):
    """An illustrated portrait: a stylised head and shoulders on a coloured ground, with the
    expert's initials."""
    rng = random.Random(seed)
    dark, accent, light, second = rng.choice(PALETTES)
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(height * 0.62), width, height), fill=second)
    skin = rng.choice(("#f1c27d", "#e0ac69", "#c68642", "#8d5524", "#ffdbac", "#a0522d"))
    hair = rng.choice(("#2b1d0e", "#4a3728", "#0d0d0d", "#8b5a2b", "#b0b0b0", "#d9b26f"))
    cx, cy, r = width // 2, int(height * 0.40), int(width * 0.16)
    draw.ellipse((cx - 2 * r, cy + int(r * 1.5), cx + 2 * r, cy + 6 * r), fill=dark)
    draw.rectangle((cx - r // 3, cy + r // 2, cx + r // 3, cy + int(r * 1.7)), fill=skin)
    long_hair = rng.random() < 0.5
    hair_bottom = cy + int(r * 1.3) if long_hair else cy + r // 3
    draw.rounded_rectangle((cx - r - 8, cy - r - 12, cx + r + 8, hair_bottom), radius=r, fill=hair)
    draw.ellipse((cx - r + 4, cy - r + 10, cx + r - 4, cy + r + 6), fill=skin)
    initials = "".join(part[0] for part in name.replace("-", " ").split()[:2]).upper()
    draw.text((24, height - 70), initials, font=_font(44), fill=dark)
    return _png(image)


def chart_png(title, bars, note="", size=(1600, 900)):
    """A horizontal bar chart, for a figure in an analysis body: ``bars`` are (label, value)
    pairs, drawn longest first, each with its value."""
    width, height = size
    ink, bar, grid, paper = "#1b1f24", "#0b4f8a", "#d9d5cc", "#ffffff"
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    margin, label_width = 64, 520
    draw.text((margin, 48), title, font=_font(44), fill=ink)
    top, bottom = 150, height - (110 if note else 60)
    row = (bottom - top) / len(bars)
    longest = max(value for _label, value in bars)
    scale = (width - 2 * margin - label_width - 120) / longest
    for number, (label, value) in enumerate(sorted(bars, key=lambda pair: -pair[1])):
        y = top + number * row
        draw.text((margin, y + row * 0.25), label, font=_font(34), fill=ink)
        left = margin + label_width
        draw.line((left, y, left, y + row), fill=grid, width=2)
        draw.rectangle((left, y + row * 0.15, left + value * scale, y + row * 0.85), fill=bar)
        draw.text((left + value * scale + 16, y + row * 0.25), f"{value}", font=_font(34), fill=ink)
    if note:
        draw.text((margin, height - 80), note, font=_font(28), fill="#4a5260")
    return _png(image)
