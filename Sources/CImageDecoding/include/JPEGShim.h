#ifndef BRECQ_JPEG_SHIM_H
#define BRECQ_JPEG_SHIM_H
#include <stddef.h>

/// What a JPEG header says, read before any pixel memory is allocated.
typedef struct {
    int width;
    int height;
} brecq_jpeg_header;

/// Reads the header of the JPEG in `data`. Returns 0, or -1 with a one-line
/// reason in `message` (libjpeg's own text).
int brecq_jpeg_read_header(const unsigned char *data, size_t size, brecq_jpeg_header *header,
                           char *message, size_t message_size);

/// Decodes the JPEG in `data` into `rgb` (width × height × 3 bytes, which the
/// caller has sized from brecq_jpeg_read_header) as PIL's
/// Image.open(...).convert("RGB") does: grayscale replicated, CMYK/YCCK via
/// libjpeg's CMYK output (inverted when an Adobe marker says so) and PIL's
/// CMYK→RGB rule, EXIF orientation ignored. Returns 0, or -1 with a reason;
/// a truncated file is an error, as in PIL.
int brecq_jpeg_decode_rgb(const unsigned char *data, size_t size, unsigned char *rgb, size_t rgb_size,
                          char *message, size_t message_size);
#endif
