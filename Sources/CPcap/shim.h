#ifndef FAULTLINE_CPCAP_SHIM_H
#define FAULTLINE_CPCAP_SHIM_H
#include <pcap/pcap.h>
#include <stdio.h>

/// Swift 6 rejects the mutable C global `stdin`; this hands it over safely
/// so `pcap_fopen_offline` can read a capture from standard input.
static inline FILE *faultline_stdin(void) { return stdin; }
#endif
