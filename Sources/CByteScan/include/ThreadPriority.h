#ifndef FAULTLINE_THREAD_PRIORITY_H
#define FAULTLINE_THREAD_PRIORITY_H

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Lowers the calling thread's scheduling priority by `by` nice steps (at most to 19), relative
/// to what it has (a process started with `nice` keeps its place), on Linux where a thread has
/// a nice value of its own. Best effort: nothing happens when the system says no.
static inline void fl_lower_thread_priority(int by) {
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int current = getpriority(PRIO_PROCESS, tid);
    if (errno != 0) return;
    int target = current + by > 19 ? 19 : current + by;
    (void)setpriority(PRIO_PROCESS, tid, target);
}

#endif
