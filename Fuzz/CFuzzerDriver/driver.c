// Declarations only (CFuzzerDriver.h): libFuzzer itself is linked by -sanitize=fuzzer.
