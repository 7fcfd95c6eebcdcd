#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry for a program that has its own `main` (LLVM 11+): parses the command
/// line and fuzzes `callback`. SwiftPM names an executable's entry point `<module>_main`, so
/// each harness defines that and calls this.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
