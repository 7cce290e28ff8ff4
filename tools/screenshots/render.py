#!/usr/bin/python3
"""render.py — turns what a terminal showed into pictures: each capture of
`tmux capture-pane -e -p` (text with SGR escapes) becomes a PNG drawn cell by
cell in DejaVu Sans Mono, or several captures become one animated GIF.

    render.py --cols 132 --rows 40 CAPTURE.ansi OUT.png
    render.py --cols 132 --rows 40 --gif OUT.gif CAPTURE:MS [CAPTURE:MS ...]

SGR understood: reset, bold, dim, italic (drawn upright), underline, reverse,
the 8/16 colours, 256 colours (38;5;N, 48;5;N) and truecolor (38;2;R;G;B),
with their resets. Wide characters (East Asian wide and full width) take two
cells, combining marks join the cell before. Box drawing lines and block
elements are drawn as shapes, so lines meet across cells; a character the
font lacks falls back to DejaVu Sans, then to Droid Sans Fallback (CJK) where
it is installed, then to an outlined box.

Same input, same bytes: no time stamp or other metadata goes into the files.
Needs Debian's python3-pil and fonts-dejavu-core (run with /usr/bin/python3).
"""
import argparse
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu-sans-mono-fonts",
             "/usr/share/fonts/dejavu-sans-fonts", "/usr/share/fonts/dejavu",
             "/usr/share/fonts/truetype/droid", "/usr/share/fonts/google-droid-sans-fonts"]
FONT_SIZE = 15
PAD = 10

# The terminal's own colours: a dark background, xterm's palette for 0-15.
DEFAULT_FG = (208, 208, 208)
DEFAULT_BG = (24, 24, 28)
BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def palette256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def find_font(name, required=True):
    for d in FONT_DIRS:
        try:
            return ImageFont.truetype(d + "/" + name, FONT_SIZE)
        except OSError:
            continue
    if required:
        sys.exit("render.py: no %s (make deps-screenshots)" % name)
    return None


class Cell:
    __slots__ = ("text", "fg", "bg", "bold", "dim", "underline", "reverse", "wide", "cont")

    def __init__(self):
        self.text = " "
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.underline = self.reverse = False
        self.wide = False  # the first of two cells
        self.cont = False  # the second of two cells


class Pen:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.underline = self.reverse = False

    def sgr(self, params):
        p = [int(x) if x else 0 for x in params.split(";")] if params else [0]
        i = 0
        while i < len(p):
            c = p[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = palette256(c - 30)
            elif 40 <= c <= 47:
                self.bg = palette256(c - 40)
            elif 90 <= c <= 97:
                self.fg = palette256(c - 90 + 8)
            elif 100 <= c <= 107:
                self.bg = palette256(c - 100 + 8)
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(p):
                colour = None
                if p[i + 1] == 5 and i + 2 < len(p):
                    colour = palette256(p[i + 2] & 255)
                    i += 2
                elif p[i + 1] == 2 and i + 4 < len(p):
                    colour = tuple(v & 255 for v in p[i + 2:i + 5])
                    i += 4
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            # 3 (italic), 5 (blink), 9 (strike) and the rest: drawn plain.
            i += 1


def width_of(ch):
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


ESC = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b.")


def parse(text, cols, rows):
    """The grid of cells a terminal would show for the capture."""
    grid = [[Cell() for _ in range(cols)] for _ in range(rows)]
    pen = Pen()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for y, line in enumerate(lines[:rows]):
        x = 0
        pos = 0
        while pos < len(line):
            m = ESC.match(line, pos)
            if m:
                if m.group(2) == "m":
                    pen.sgr(m.group(1))
                pos = m.end()
                continue
            ch = line[pos]
            pos += 1
            if ch == "\r" or ch < " ":
                continue
            w = width_of(ch)
            if w == 0:
                if x > 0:
                    prev = grid[y][x - 1]
                    if prev.cont and x > 1:
                        prev = grid[y][x - 2]
                    prev.text += ch
                continue
            if x + w > cols:
                break
            c = grid[y][x]
            c.text, c.fg, c.bg = ch, pen.fg, pen.bg
            c.bold, c.dim, c.underline, c.reverse = pen.bold, pen.dim, pen.underline, pen.reverse
            c.wide = w == 2
            if w == 2:
                d = grid[y][x + 1]
                d.text, d.fg, d.bg, d.cont = "", pen.fg, pen.bg, True
                d.reverse = pen.reverse
            x += w
        # Cells past the text keep the background the line ended with
        # (tmux leaves out trailing blanks of the default colour only).
    return grid


class Renderer:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.regular = find_font("DejaVuSansMono.ttf")
        self.bold = find_font("DejaVuSansMono-Bold.ttf")
        self.fallback = find_font("DejaVuSans.ttf")
        self.fallback_bold = find_font("DejaVuSans-Bold.ttf")
        # CJK (fonts-droid-fallback); without it such characters are boxes.
        self.cjk = find_font("DroidSansFallbackFull.ttf", required=False)
        self.cw = round(self.regular.getlength("M"))
        ascent, descent = self.regular.getmetrics()
        self.ch = ascent + descent + 1
        self.ascent = ascent
        self.missing = {}
        self.notdef = {}

    def size(self):
        return (self.cols * self.cw + 2 * PAD, self.rows * self.ch + 2 * PAD)

    def has_glyph(self, font, ch):
        """Does the font draw ch (rather than its .notdef box)?"""
        key = (id(font), ch)
        if key not in self.missing:
            if id(font) not in self.notdef:
                self.notdef[id(font)] = bytes(font.getmask("\U0010fffd"))
            self.missing[key] = bytes(font.getmask(ch)) != self.notdef[id(font)]
        return self.missing[key]

    def colours(self, c):
        fg = c.fg or DEFAULT_FG
        bg = c.bg or DEFAULT_BG
        if c.reverse:
            fg, bg = bg, fg
        if c.dim:
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        return fg, bg

    def shape(self, draw, ch, x, y, w, fg, bold):
        """Box drawing and block elements as lines and rectangles."""
        o = ord(ch)
        cx, cy = x + w // 2, y + self.ch // 2
        t = 2 if bold or o in (0x2501, 0x2503, 0x250F, 0x2513, 0x2517, 0x251B) else 1
        light = {  # (left, right, up, down)
            0x2500: (1, 1, 0, 0), 0x2501: (1, 1, 0, 0), 0x2502: (0, 0, 1, 1), 0x2503: (0, 0, 1, 1),
            0x250C: (0, 1, 0, 1), 0x250F: (0, 1, 0, 1), 0x2510: (1, 0, 0, 1), 0x2513: (1, 0, 0, 1),
            0x2514: (0, 1, 1, 0), 0x2517: (0, 1, 1, 0), 0x2518: (1, 0, 1, 0), 0x251B: (1, 0, 1, 0),
            0x251C: (0, 1, 1, 1), 0x2524: (1, 0, 1, 1), 0x252C: (1, 1, 0, 1), 0x2534: (1, 1, 1, 0),
            0x253C: (1, 1, 1, 1), 0x256D: (0, 1, 0, 1), 0x256E: (1, 0, 0, 1), 0x256F: (1, 0, 1, 0),
            0x2570: (0, 1, 1, 0), 0x2574: (1, 0, 0, 0), 0x2575: (0, 0, 1, 0), 0x2576: (0, 1, 0, 0),
            0x2577: (0, 0, 0, 1),
        }
        if o in light:
            left, right, up, down = light[o]
            if left:
                draw.rectangle([x, cy, cx, cy + t - 1], fill=fg)
            if right:
                draw.rectangle([cx, cy, x + w - 1, cy + t - 1], fill=fg)
            if up:
                draw.rectangle([cx, y, cx + t - 1, cy], fill=fg)
            if down:
                draw.rectangle([cx, cy, cx + t - 1, y + self.ch - 1], fill=fg)
            return True
        if 0x2581 <= o <= 0x2588:  # lower eighths: ▁ … █
            h = round(self.ch * (o - 0x2580) / 8)
            draw.rectangle([x, y + self.ch - h, x + w - 1, y + self.ch - 1], fill=fg)
            return True
        if o == 0x2580:  # upper half
            draw.rectangle([x, y, x + w - 1, y + self.ch // 2 - 1], fill=fg)
            return True
        return False

    def draw_text(self, draw, c, x, y, w, fg):
        font = self.bold if c.bold else self.regular
        text = c.text
        if not self.has_glyph(font, text[0]):
            alts = [self.fallback_bold if c.bold else self.fallback]
            if self.cjk:
                alts.append(self.cjk)
            font = next((f for f in alts if self.has_glyph(f, text[0])), None)
            if not font:  # nothing draws it: a box the width of its cells
                draw.rectangle([x + 1, y + 3, x + w - 2, y + self.ch - 4], outline=fg)
                return
        # Centred in its cells; a wider glyph (fallback font) is squeezed.
        gw = font.getlength(text)
        if gw > w + 1:
            img = Image.new("L", (int(gw) + 2, self.ch), 0)
            ImageDraw.Draw(img).text((1, 0), text, font=font, fill=255)
            img = img.resize((w, self.ch), Image.LANCZOS)
            draw._image.paste(Image.new("RGB", img.size, fg), (x, y), img)
            return
        draw.text((x + (w - gw) / 2, y), text, font=font, fill=fg)

    def render(self, grid):
        img = Image.new("RGB", self.size(), DEFAULT_BG)
        draw = ImageDraw.Draw(img)
        for row, cells in enumerate(grid):
            y = PAD + row * self.ch
            for col, c in enumerate(cells):
                if c.cont:
                    continue
                x = PAD + col * self.cw
                w = self.cw * (2 if c.wide else 1)
                fg, bg = self.colours(c)
                if bg != DEFAULT_BG:
                    draw.rectangle([x, y, x + w - 1, y + self.ch - 1], fill=bg)
                if c.text != " " and not self.shape(draw, c.text[0], x, y, w, fg, c.bold):
                    self.draw_text(draw, c, x, y, w, fg)
                if c.underline:
                    draw.line([x, y + self.ascent + 2, x + w - 1, y + self.ascent + 2], fill=fg)
        return img


def read_capture(path, cols, rows):
    with open(path, encoding="utf-8", errors="replace") as f:
        return parse(f.read(), cols, rows)


def main():
    ap = argparse.ArgumentParser(description="terminal captures to PNG or GIF")
    ap.add_argument("--cols", type=int, default=132)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--gif", help="write an animated GIF of the frames CAPTURE:MS")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    r = Renderer(a.cols, a.rows)
    if a.gif:
        frames, durations = [], []
        for spec in a.files:
            path, _, ms = spec.rpartition(":")
            img = r.render(read_capture(path, a.cols, a.rows))
            # Few colours on a terminal: an exact palette, no dithering.
            frames.append(img.quantize(colors=64, method=Image.MEDIANCUT, dither=Image.NONE))
            durations.append(int(ms))
        frames[0].save(a.gif, save_all=True, append_images=frames[1:], duration=durations,
                       loop=0, optimize=False, disposal=1)
        return
    if len(a.files) != 2:
        ap.error("give CAPTURE OUT.png (or --gif)")
    r.render(read_capture(a.files[0], a.cols, a.rows)).save(a.files[1], optimize=True)


if __name__ == "__main__":
    main()
