#!/usr/bin/env python3
"""Draws Stenogram's app icons (plain PNG, no imaging library needed): a blue tile with
lines of 'text', the first one a speaker label. Run from the repo root: python3 public/make-icons.py"""
import struct, zlib

BLUE, WHITE, AMBER = (11, 92, 173), (255, 255, 255), (255, 196, 61)

def png(path, size, maskable):
    px = [[BLUE] * size for _ in range(size)]
    # Maskable icons must keep their content inside the central 80 % circle.
    pad = size * (0.24 if maskable else 0.16)
    lines = [(0.30, AMBER), (1.0, WHITE), (0.85, WHITE), (0.95, WHITE), (0.6, WHITE)]
    h = (size - 2 * pad) / (len(lines) * 2 - 1)
    for i, (frac, colour) in enumerate(lines):
        y0 = int(pad + i * 2 * h)
        x1 = int(pad + (size - 2 * pad) * frac)
        for y in range(y0, int(y0 + h)):
            for x in range(int(pad), x1):
                px[y][x] = colour
    if not maskable:  # round the corners of the plain icon
        r = size * 0.18
        for y in range(size):
            for x in range(size):
                dx = max(r - x, x - (size - 1 - r), 0)
                dy = max(r - y, y - (size - 1 - r), 0)
                if dx * dx + dy * dy > r * r:
                    px[y][x] = None
    raw = b''.join(b'\x00' + b''.join(bytes((*c, 255)) if c else b'\x00\x00\x00\x00' for c in row) for row in px)
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) \
        + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    open(path, 'wb').write(data)

for s in (192, 512):
    png(f'public/icons/icon-{s}.png', s, False)
    png(f'public/icons/maskable-{s}.png', s, True)
png('public/icons/favicon-32.png', 32, False)
