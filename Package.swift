// swift-tools-version: 6.0
import PackageDescription

/// Every Faultline target is compiled in the Swift 6 language mode with
/// strict concurrency checking; warnings are treated as defects by review.
let languageSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// `scripts/fuzz.sh` builds with FAULTLINE_FUZZ=1 (in `.build-fuzz`): every target that runs
/// inside a harness gets libFuzzer's coverage and AddressSanitizer, and the harnesses in
/// `Fuzz/` join the package. Build tools (`faultline-embed`) stay as they are: they run at
/// build time, not under the fuzzer. Without the variable nothing here changes a build.
let fuzzing = Context.environment["FAULTLINE_FUZZ"] == "1"
let swiftSettings = languageSettings + (fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : [])
let cSettings: [CSetting] = fuzzing ? [.unsafeFlags(["-fsanitize=fuzzer-no-link,address"])] : []

let package = Package(
    name: "Faultline",
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
        .library(name: "Faultline", targets: ["Faultline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries from Debian packages.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // Vector kernels of the text prefilter, AVX2 chosen at run time (Swift cannot target it per function).
        .target(name: "CByteScan", cSettings: cSettings),
        // glibc's fopencookie in plain types: a FILE over any byte stream, for libpcap.
        .target(name: "CFileStream", cSettings: cSettings),
        // signalfd(2) in plain types: signals read in the live session's poll loop.
        .target(name: "CSignalFD"),
        // posix_openpt and friends (X/Open, left out of Swift's Glibc): `faultline run`'s pseudo-terminal.
        .target(name: "CPseudoTerminal"),

        // The event model, the stage abstraction and the pipeline runner.
        .target(name: "FaultlineCore", swiftSettings: swiftSettings),
        // Input: files, folders, .gz, stdin; chunked byte reading; format detection.
        .target(name: "FaultlineInput", dependencies: ["FaultlineCore", "CZlib", "CFileStream", "CArchive"], swiftSettings: swiftSettings),
        // Decode stage: byte-level scanning, CI/Docker envelopes, build-log decoders.
        .target(name: "FaultlineDecode", dependencies: ["FaultlineCore", "CByteScan"], swiftSettings: swiftSettings),
        // The knowledge base: rule packs and pipeline definitions read from YAML at run time.
        // The built-in copy of Pipelines/ and the commit are generated into it at build time.
        .target(
            name: "FaultlineRules",
            dependencies: ["FaultlineCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings,
            plugins: ["EmbedPipelines"]
        ),
        // Build-time generator: Pipelines/*.yaml and the commit as Swift source (run by EmbedPipelines).
        .executableTarget(name: "faultline-embed", swiftSettings: languageSettings),
        .plugin(name: "EmbedPipelines", capability: .buildTool(), dependencies: ["faultline-embed"]),
        // Normalise, align, correlate and rank stages.
        .target(
            name: "FaultlineEngine",
            dependencies: ["FaultlineCore", "FaultlineRules", .product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // Emit stage: JSON and text renderers.
        .target(name: "FaultlineReport", dependencies: ["FaultlineCore"], swiftSettings: swiftSettings),
        // Packet captures through libpcap.
        .target(name: "FaultlineCapture", dependencies: ["FaultlineCore", "CPcap", "CByteScan", "CFileStream"], swiftSettings: swiftSettings),
        // The library a front end calls: one case in, one report out.
        .target(
            name: "Faultline",
            dependencies: [
                "FaultlineCore", "FaultlineInput", "FaultlineDecode", "FaultlineRules",
                "FaultlineEngine", "FaultlineReport", "FaultlineCapture", "CSignalFD", "CPseudoTerminal", "CArchive",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "faultline",
            dependencies: ["Faultline", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings,
            // Release builds carry the Swift runtime and Foundation inside: a self-contained binary
            // that starts in 8 ms instead of 15, since a dozen shared Swift libraries need not be
            // loaded and bound (4% of `faultline dns` on 1M packets). `-static-stdlib` names the
            // runtime's archives; the Foundation archives it does not name are listed (a toolchain
            // that splits Foundation differently fails here, loudly, at link time); lld links them
            // without the warning GNU ld gives for Foundation's use of mktemp. Debug builds, and so
            // the tests, use the shared libraries.
            linkerSettings: [
                .unsafeFlags(["-static-stdlib", "-use-ld=lld", "-l_FoundationICU", "-l_FoundationCShims",
                              "-l_FoundationCollections", "-lCoreFoundation", "-lswiftSynchronization"],
                             .when(configuration: .release)),
            ]
        ),
        // `swift run -c release faultline-bench`: throughput and peak memory beside wc -l and grep.
        .executableTarget(
            name: "faultline-bench",
            dependencies: ["Faultline", "FaultlineDecode"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FaultlineTests",
            dependencies: ["Faultline", "FaultlineCapture", "FaultlineInput", "FaultlineDecode", "FaultlineRules",
                           .product(name: "Yams", package: "Yams")],
            // Reference data read by path (Zeek's DNS traces and baselines), not resources.
            exclude: ["Conformance", "Corpus"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer harnesses (`Fuzz/`), in the manifest only when `scripts/fuzz.sh` builds them.
// A normal build, the tests and CI never see them.
if fuzzing {
    package.targets.append(.target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"))
    package.targets.append(.target(
        name: "FaultlineFuzzSupport",
        dependencies: ["CFuzzerDriver", "FaultlineCore", "FaultlineRules", "FaultlineCapture"],
        path: "Fuzz/Support",
        swiftSettings: swiftSettings
    ))
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("LogFuzzer", ["FaultlineDecode", "FaultlineEngine"]),
        ("DumpFuzzer", ["FaultlineDecode"]),
        ("DNSFuzzer", ["FaultlineCapture"]),
        ("PacketFuzzer", ["FaultlineCapture"]),
        ("PcapFuzzer", ["FaultlineCapture"]),
        ("PipelineFuzzer", []),
    ]
    for harness in harnesses {
        package.targets.append(.executableTarget(
            name: harness.name,
            dependencies: ["FaultlineFuzzSupport", "FaultlineCore", "FaultlineRules"] + harness.dependencies,
            path: "Fuzz/\(harness.name)",
            // No top-level code: the harness's `<name>_main` starts libFuzzer (`FuzzDriver`).
            swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]
        ))
    }
}
