#ifndef FAULTLINE_CFILESTREAM_H
#define FAULTLINE_CFILESTREAM_H

#include <stdio.h>

/// Fills `buffer` with up to `size` bytes; returns how many, 0 at the end, -1 on error.
typedef long (*fl_stream_read)(void *context, char *buffer, unsigned long size);
/// Called once when the FILE is closed.
typedef void (*fl_stream_close)(void *context);

/// A read-only C `FILE *` whose bytes come from `read` (glibc's fopencookie),
/// for libraries that read a FILE themselves (libpcap) when the bytes are
/// not a plain file: standard input already partly read, a gzip stream.
/// stdio reads `buffer_size` bytes at a time (0: its default, 4 KiB); the buffer is
/// the FILE's own and freed when it is closed.
/// NULL when the FILE cannot be made (then `close` is not called).
FILE *fl_stream_open(void *context, fl_stream_read read, fl_stream_close close, unsigned long buffer_size);

/// Tells stdio that one thread at a time reads `file`, so `fread` takes no lock (libpcap
/// reads every record with two of them; in a threaded process each would lock and unlock).
void fl_stream_single_reader(FILE *file);

#endif
