#ifndef FAULTLINE_PSEUDO_TERMINAL_H
#define FAULTLINE_PSEUDO_TERMINAL_H

#include <stddef.h>

/// Opens a pseudo-terminal's controller side (close-on-exec, not the caller's controlling terminal),
/// unlocks its terminal side and writes that side's path into `path`: the descriptor, or -1 with errno set.
/// (posix_openpt, grantpt, unlockpt and ptsname_r are X/Open functions the Swift Glibc module leaves out.)
int fl_pseudo_terminal_open(char *path, size_t path_size);

#endif
