// libjpeg reports errors by calling error_exit, which by default calls exit().
// Here error_exit longjmps back to the setjmp in the same C function, so the
// jump never crosses a Swift frame, and the message is copied out for Swift
// to turn into an error naming the file.
#include "JPEGShim.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char *message;
    size_t message_size;
} brecq_error;

static void brecq_error_exit(j_common_ptr cinfo) {
    brecq_error *error = (brecq_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(error->message, error->message_size, "%s", text);
    longjmp(error->jump, 1);
}

// Warnings are ignored (PIL ignores them too) except a premature end of data,
// which PIL reports as "image file is truncated".
static void brecq_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        brecq_error_exit(cinfo);
    }
}

static void brecq_silent_output(j_common_ptr cinfo) { (void)cinfo; }

static void start(struct jpeg_decompress_struct *cinfo, brecq_error *error, char *message, size_t message_size) {
    cinfo->err = jpeg_std_error(&error->manager);
    error->manager.error_exit = brecq_error_exit;
    error->manager.emit_message = brecq_emit_message;
    error->manager.output_message = brecq_silent_output;
    error->message = message;
    error->message_size = message_size;
}

int brecq_jpeg_read_header(const unsigned char *data, size_t size, brecq_jpeg_header *header,
                           char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    brecq_error error;
    start(&cinfo, &error, message, message_size);
    if (setjmp(error.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    header->width = (int)cinfo.image_width;
    header->height = (int)cinfo.image_height;
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

// PIL's Convert.c cmyk2rgb: channel = k' − c·k'/255 with k' = 255 − k, rounded as MULDIV255.
static unsigned char cmyk_channel(int c, int nk) {
    int tmp = c * nk + 128;
    int v = nk - (((tmp >> 8) + tmp) >> 8);
    return (unsigned char)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

int brecq_jpeg_decode_rgb(const unsigned char *data, size_t size, unsigned char *rgb, size_t rgb_size,
                          char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    brecq_error error;
    JSAMPLE *volatile row = NULL;
    start(&cinfo, &error, message, message_size);
    if (setjmp(error.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(row);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo.out_color_space = JCS_GRAYSCALE; break;
    case JCS_CMYK:
    case JCS_YCCK: cinfo.out_color_space = JCS_CMYK; break;
    default: cinfo.out_color_space = JCS_RGB; break;
    }
    jpeg_start_decompress(&cinfo);
    size_t width = cinfo.output_width, height = cinfo.output_height;
    int components = cinfo.output_components;
    if (width * height * 3 != rgb_size) {
        snprintf(message, message_size, "decoded size %zux%zu differs from the header's", width, height);
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    row = malloc(width * (size_t)components);
    if (row == NULL) {
        snprintf(message, message_size, "out of memory for one row of %zu pixels", width);
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    // Adobe CMYK JPEGs (Photoshop, and PIL's own writer) store inverted values.
    int inverted = cinfo.saw_Adobe_marker;
    while (cinfo.output_scanline < cinfo.output_height) {
        size_t y = cinfo.output_scanline;
        JSAMPROW rows[1] = { row };
        jpeg_read_scanlines(&cinfo, rows, 1);
        unsigned char *out = rgb + y * width * 3;
        for (size_t x = 0; x < width; x++) {
            const JSAMPLE *p = row + x * (size_t)components;
            if (components == 1) {
                out[3 * x] = out[3 * x + 1] = out[3 * x + 2] = p[0];
            } else if (components == 4) {
                int c = p[0], m = p[1], yy = p[2], k = p[3];
                if (inverted) { c = 255 - c; m = 255 - m; yy = 255 - yy; k = 255 - k; }
                int nk = 255 - k;
                out[3 * x] = cmyk_channel(c, nk);
                out[3 * x + 1] = cmyk_channel(m, nk);
                out[3 * x + 2] = cmyk_channel(yy, nk);
            } else {
                out[3 * x] = p[0]; out[3 * x + 1] = p[1]; out[3 * x + 2] = p[2];
            }
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    return 0;
}
