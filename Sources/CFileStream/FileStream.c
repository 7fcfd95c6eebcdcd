// fopencookie is a GNU extension: Swift's Glibc module does not show it, so
// this file defines _GNU_SOURCE and wraps it in plain types.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <sys/types.h>
#include "CFileStream.h"

struct fl_stream {
    void *context;
    fl_stream_read read;
    fl_stream_close close;
    /* stdio's buffer: glibc ignores setvbuf's size without one. Freed after the last read. */
    char *buffer;
};

static ssize_t stream_read(void *cookie, char *buffer, size_t size) {
    struct fl_stream *stream = cookie;
    return (ssize_t)stream->read(stream->context, buffer, (unsigned long)size);
}

static int stream_close(void *cookie) {
    struct fl_stream *stream = cookie;
    if (stream->close) stream->close(stream->context);
    free(stream->buffer);
    free(stream);
    return 0;
}

FILE *fl_stream_open(void *context, fl_stream_read read, fl_stream_close close, unsigned long buffer_size) {
    struct fl_stream *stream = malloc(sizeof *stream);
    if (!stream) return NULL;
    stream->context = context;
    stream->read = read;
    stream->close = close;
    stream->buffer = buffer_size ? malloc(buffer_size) : NULL;
    cookie_io_functions_t io = { .read = stream_read, .write = NULL, .seek = NULL, .close = stream_close };
    FILE *file = fopencookie(stream, "r", io);
    if (!file) {
        free(stream->buffer);
        free(stream);
        return NULL;
    }
    if (stream->buffer) setvbuf(file, stream->buffer, _IOFBF, buffer_size);
    return file;
}

void fl_stream_single_reader(FILE *file) {
    __fsetlocking(file, FSETLOCKING_BYCALLER);
}
