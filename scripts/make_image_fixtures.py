#!/usr/bin/env python3
"""Generate the small image files under Tests/Fixtures/images/ and the tensors
PIL + NumPy make of them with the torchvision evaluation transform.

Nothing is downloaded: every image is drawn here (gradients and a seeded
pattern), in each colour mode a user's folder may hold (RGB, grayscale and
CMYK JPEG, palette, RGBA, 16-bit and grayscale PNG, an EXIF-rotated JPEG, a
1x1, a 1200x900 and a non-square file) plus broken files. The Swift test
(ImageFolderTests) decodes the same files and must agree within 1/255 of a
pixel. Rerun after changing (needs pillow and numpy):

    python3 scripts/make_image_fixtures.py
"""
import os
import struct
import zlib
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "images")
# A 32x32 model: resize the shorter side to 37 (32 * 256 / 224, rounded), centre-crop 32:
# the default brecq derives from config.json's input_shape.
RESIZE, CROP = 37, 32
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def pattern(w, h, seed):
    """Gradients plus seeded noise: smooth enough to compress, varied enough to test."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    rng = np.random.default_rng(seed)
    r = 255 * x / max(w - 1, 1)
    g = 255 * y / max(h - 1, 1)
    b = 127 + 100 * np.sin(x / 7.0) * np.cos(y / 5.0)
    img = np.stack([r, g, b], -1) + rng.normal(0, 12, (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def png_16bit_rgb(path, array):
    """PIL cannot write 16-bit RGB PNGs, so this writes one by hand."""
    h, w, _ = array.shape
    raw = b"".join(b"\x00" + array[i].astype(">u2").tobytes() for i in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def png_header_only(path, w, h):
    """A valid PNG signature and IHDR claiming w x h, an empty IDAT (libpng reads the header up to the first
    IDAT), then IEND: must be refused before decoding."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def torchvision_eval(path, resize, crop):
    """transforms.Compose([Resize(resize), CenterCrop(crop), ToTensor(), Normalize(MEAN, STD)]) on
    the ImageFolder loader's Image.open(path).convert("RGB"), written with PIL and NumPy."""
    im = Image.open(path).convert("RGB")
    w, h = im.size
    short, long = min(w, h), max(w, h)
    new_short, new_long = resize, int(resize * long / short)
    size = (new_short, new_long) if w <= h else (new_long, new_short)
    if size != im.size:
        im = im.resize(size, Image.BILINEAR)
    w, h = im.size
    if crop > w or crop > h:  # torchvision pads with zeros first
        pad_l, pad_t = max(crop - w, 0) // 2, max(crop - h, 0) // 2
        canvas = Image.new("RGB", (max(w, crop), max(h, crop)))
        canvas.paste(im, (pad_l, pad_t))
        im, (w, h) = canvas, canvas.size
    top, left = int(round((h - crop) / 2.0)), int(round((w - crop) / 2.0))
    im = im.crop((left, top, left + crop, top + crop))
    x = np.asarray(im, np.float32) / 255.0
    return ((x - MEAN) / STD).transpose(2, 0, 1).astype(np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    files = {}

    def save(name, image, **kw):
        image.save(os.path.join(OUT, name), **kw)
        files[name] = True

    save("rgb.jpg", Image.fromarray(pattern(64, 48, 1)), quality=90)
    save("gray.jpg", Image.fromarray(pattern(40, 50, 2)[..., 0]), quality=90)
    save("cmyk.jpg", Image.fromarray(pattern(48, 40, 3)).convert("CMYK"), quality=90)
    palette = Image.fromarray(pattern(45, 45, 4)).quantize(16)
    palette.info["transparency"] = 3
    save("palette.png", palette, transparency=3)
    rgba = np.concatenate([pattern(50, 40, 5), np.tile(np.arange(50, dtype=np.uint8)[None, :, None] * 5, (40, 1, 1))], -1)
    save("rgba.png", Image.fromarray(rgba, "RGBA"))
    save("gray16.png", Image.fromarray((pattern(40, 40, 6)[..., 1].astype(np.uint16) * 2)))
    png_16bit_rgb(os.path.join(OUT, "rgb16.png"), pattern(40, 36, 7).astype(np.uint16) * 257)
    files["rgb16.png"] = True
    save("gray.png", Image.fromarray(pattern(36, 44, 8)[..., 2]))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to display; PIL's open (and torchvision) ignore it
    save("exif_rotated.jpg", Image.fromarray(pattern(60, 40, 9)), quality=90, exif=exif.tobytes())
    save("tiny.png", Image.fromarray(np.array([[[200, 30, 90]]], np.uint8)))
    save("large.jpg", Image.fromarray(pattern(1200, 900, 10)).resize((1200, 900)), quality=30)
    save("wide.png", Image.fromarray(pattern(120, 30, 11)))

    for name in sorted(files):
        np.save(os.path.join(OUT, name + ".expected.npy"),
                torchvision_eval(os.path.join(OUT, name), RESIZE, CROP))
    # Broken files: a truncated JPEG, text named .jpg, and a PNG whose header claims 100000 x 100000.
    with open(os.path.join(OUT, "rgb.jpg"), "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "truncated.jpg"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(OUT, "not_an_image.jpg"), "w") as f:
        f.write("this is a text file\n")
    png_header_only(os.path.join(OUT, "huge_header.png"), 100000, 100000)


if __name__ == "__main__":
    main()
