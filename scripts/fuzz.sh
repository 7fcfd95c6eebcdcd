#!/usr/bin/env bash
# libFuzzer harnesses for every decoder entry point (Fuzz/, issue 17).
#
#   scripts/fuzz.sh build                 build every harness (ASan + libFuzzer) into .build-fuzz/
#   scripts/fuzz.sh seeds                 make the seed corpora and the log dictionary
#   scripts/fuzz.sh run TARGET SECONDS [libFuzzer flags…]
#                                         fuzz one target (log dump dns packet pcap pipeline)
#   scripts/fuzz.sh list                  the targets
#
# The harnesses are in the manifest only with FAULTLINE_FUZZ=1 and are built in their own
# scratch folder, so `swift build`, `swift test` and CI never see them. A run keeps its corpus
# in .build-fuzz-runs/corpus/TARGET (grown from the seeds) and what it finds — crash-*, leak-*,
# timeout-*, oom-* — in .build-fuzz-runs/artifacts/TARGET/; reproduce one with
# `.build-fuzz/debug/LogFuzzer FILE`. Minimised inputs of fixed findings are kept as tests'
# fixtures in Tests/FaultlineTests/Corpus/Fuzz/ and seed the next runs.
#
# Environment: FUZZ_NICE, the run's niceness (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build-fuzz
# Corpora, findings and logs live beside the build, not in it (SwiftPM prunes its scratch folder).
runs=.build-fuzz-runs
targets=(log dump dns packet pcap pipeline)

product() {
    case "$1" in
        log) echo LogFuzzer ;; dump) echo DumpFuzzer ;; dns) echo DNSFuzzer ;;
        packet) echo PacketFuzzer ;; pcap) echo PcapFuzzer ;; pipeline) echo PipelineFuzzer ;;
        *) echo "fuzz.sh: unknown target '$1' (known: ${targets[*]})" >&2; exit 2 ;;
    esac
}

# Larger inputs for whole files, small ones where the unit is a message or a YAML file.
max_len() {
    case "$1" in
        log|dump|pcap|pipeline) echo 65536 ;; packet) echo 16384 ;; dns) echo 8192 ;;
    esac
}

build() {
    # Dependencies come from the checkouts of the normal build when there are some: nothing fetched.
    if [[ -d .build/checkouts && ! -d $scratch/checkouts ]]; then
        mkdir -p $scratch
        cp -R .build/checkouts .build/repositories .build/workspace-state.json $scratch/
    fi
    for target in "${targets[@]}"; do
        FAULTLINE_FUZZ=1 swift build --scratch-path $scratch --product "$(product "$target")"
    done
}

seeds() {
    python3 scripts/fuzz-seeds.py "$runs"
}

run() {
    local target=$1 seconds=$2
    shift 2
    local binary
    binary=$scratch/debug/$(product "$target")
    [[ -x $binary ]] || { echo "fuzz.sh: $binary is not built (scripts/fuzz.sh build)" >&2; exit 2; }
    [[ -d $runs/seeds/$target ]] || seeds
    local corpus=$runs/corpus/$target artifacts=$runs/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    # -fork=1: one child at a time, restarted after a crash, leak, time-out or OOM (each kept in
    # $artifacts), so a timed run goes on to its end whatever it finds.
    local flags=(-max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048
                 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1
                 -artifact_prefix="$artifacts/")
    [[ $target == log ]] && flags+=(-dict="$runs/seeds/log.dict")
    local regressions=()
    [[ -d Tests/FaultlineTests/Corpus/Fuzz/$target ]] && regressions=(Tests/FaultlineTests/Corpus/Fuzz/$target)
    LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS} nice -n "${FUZZ_NICE:-10}" "$binary" "${flags[@]}" "$@" "$corpus" "$runs/seeds/$target" "${regressions[@]}"
}

case "${1:-}" in
    build) build ;;
    seeds) seeds ;;
    run) [[ $# -ge 3 ]] || { echo "usage: scripts/fuzz.sh run TARGET SECONDS [libFuzzer flags…]" >&2; exit 2; }
         shift; run "$@" ;;
    list) printf '%s\n' "${targets[@]}" ;;
    *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
