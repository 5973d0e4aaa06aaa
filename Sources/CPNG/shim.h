// libpng (Debian: libpng-dev), found through pkg-config `libpng`. libpng reports errors with
// longjmp, which Swift cannot catch, so the whole encode runs here in C behind one call that
// returns 0 on success or -1 with the message in `error`.
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// A growing byte buffer the encoder writes into; the caller frees `data` with `free`.
typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
} tf_png_buffer;

/// Where libpng's error message goes before the longjmp back.
typedef struct {
    char *message;
    size_t capacity;
} tf_png_error_sink;

static void tf_png_write_data(png_structp png, png_bytep bytes, png_size_t length) {
    tf_png_buffer *buffer = (tf_png_buffer *)png_get_io_ptr(png);
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 65536;
        while (capacity < buffer->size + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(buffer->data, capacity);
        if (!grown) png_error(png, "out of memory for the PNG bytes");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static void tf_png_flush(png_structp png) { (void)png; }

static void tf_png_error(png_structp png, png_const_charp message) {
    tf_png_error_sink *sink = (tf_png_error_sink *)png_get_error_ptr(png);
    if (sink && sink->capacity) {
        strncpy(sink->message, message, sink->capacity - 1);
        sink->message[sink->capacity - 1] = 0;
    }
    png_longjmp(png, 1);
}

static void tf_png_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

/// Encodes a Cairo image (32-bit native-endian pixels: xRGB when `has_alpha` is 0, premultiplied
/// ARGB otherwise) as an 8-bit RGB or RGBA PNG. `level` is the zlib level 0–9, `filters` a set of
/// PNG_FILTER_* flags; `keys`/`texts` hold `text_count` text chunks (UTF-8 ones become iTXt).
static inline int tf_png_encode(
    const unsigned char *pixels, int width, int height, int stride, int has_alpha, int level, int filters,
    const char *const *keys, const char *const *texts, int text_count,
    tf_png_buffer *out, char *error, size_t error_capacity
) {
    tf_png_error_sink sink = { error, error_capacity };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, tf_png_error, tf_png_warning);
    if (!png) { strncpy(error, "libpng could not start", error_capacity - 1); return -1; }
    png_infop info = png_create_info_struct(png);
    png_bytep volatile row = NULL;
    png_textp volatile text = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        if (!info) strncpy(error, "libpng could not start", error_capacity - 1);
        free(row);
        free(text);
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, out, tf_png_write_data, tf_png_flush);
    png_set_compression_level(png, level);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    int channels = has_alpha ? 4 : 3;
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 has_alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    if (text_count > 0) {
        text = (png_textp)calloc((size_t)text_count, sizeof(png_text));
        if (!text) png_error(png, "out of memory for the text chunks");
        for (int i = 0; i < text_count; i++) {
            int ascii = 1;
            for (const unsigned char *c = (const unsigned char *)texts[i]; *c; c++) if (*c >= 0x80) ascii = 0;
            text[i].compression = ascii ? PNG_TEXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_NONE;
            text[i].key = (png_charp)keys[i];
            text[i].text = (png_charp)texts[i];
            text[i].lang = NULL;
            text[i].lang_key = NULL;
        }
        png_set_text(png, info, text, text_count);
    }
    png_write_info(png, info);
    row = (png_bytep)malloc((size_t)width * (size_t)channels);
    if (!row) png_error(png, "out of memory for a row");
    for (int y = 0; y < height; y++) {
        const uint32_t *source = (const uint32_t *)(pixels + (size_t)y * (size_t)stride);
        png_bytep target = row;
        for (int x = 0; x < width; x++) {
            uint32_t p = source[x];
            unsigned r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
            if (has_alpha) {
                unsigned a = p >> 24;
                // Cairo stores premultiplied colour; PNG wants it straight (rounded).
                if (a != 0 && a != 255) {
                    r = (r * 255 + a / 2) / a;
                    g = (g * 255 + a / 2) / a;
                    b = (b * 255 + a / 2) / a;
                }
                target[0] = (png_byte)r; target[1] = (png_byte)g; target[2] = (png_byte)b; target[3] = (png_byte)a;
                target += 4;
            } else {
                target[0] = (png_byte)r; target[1] = (png_byte)g; target[2] = (png_byte)b;
                target += 3;
            }
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    free(row);
    free(text);
    png_destroy_write_struct(&png, &info);
    return 0;
}
