#ifndef FAULTLINE_SIGNAL_FD_H
#define FAULTLINE_SIGNAL_FD_H

#include <signal.h>

/// One signal read from a signalfd, in plain types.
typedef struct {
    int signo;
    /// SI_USER, SI_QUEUE, SI_KERNEL, …
    int code;
    int pid;
    /// 1 when the sender was another process (kill, sigqueue), 0 for the kernel (a terminal's Ctrl-C).
    int from_process;
} fl_signal_info;

/// A close-on-exec, non-blocking signalfd for the signals in `set` (already blocked by the caller); -1 on error.
int fl_signalfd_open(const sigset_t *set);

/// Reads one pending signal into `out`: 1, or 0 when none is pending.
int fl_signalfd_read(int fd, fl_signal_info *out);

#endif
