#include "signal_fd.h"

#include <sys/signalfd.h>
#include <unistd.h>

int fl_signalfd_open(const sigset_t *set) {
    return signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int fl_signalfd_read(int fd, fl_signal_info *out) {
    struct signalfd_siginfo info;
    if (read(fd, &info, sizeof info) != (ssize_t)sizeof info) return 0;
    out->signo = (int)info.ssi_signo;
    out->code = info.ssi_code;
    out->pid = (int)info.ssi_pid;
    out->from_process = info.ssi_code == SI_USER || info.ssi_code == SI_QUEUE;
    return 1;
}
