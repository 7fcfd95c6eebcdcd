import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// Writes a realistic npm build log of a given size: a GitHub Actions job whose
/// `docker build` (BuildKit, plain progress) runs `npm ci --loglevel=http`,
/// `npm run lint`, `npm run build` (webpack) and `npm test` (jest), with the
/// rare real failure blocks of npm 10 among ordinary output, the way a large CI
/// archive of Node projects looks.
struct NpmLogGenerator {
    var targetBytes: Int
    /// One failure block per this many lines.
    var errorEvery = 200_000

    /// Real npm 10 failure blocks (Samples/npm/ and shared/research/build-log-signatures.md):
    /// field lines first, then the line a signature reads, then npm's advice.
    static let failures: [[String]] = [
        ["npm error code EAI_AGAIN", "npm error syscall getaddrinfo", "npm error errno EAI_AGAIN",
         "npm error request to https://registry.npmjs.org/lodash failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org"],
        ["npm error code E403",
         "npm error 403 403 Forbidden - GET https://registry.npmjs.org/@types/react-redux/-/react-redux-7.1.20.tgz",
         "npm error 403 In most cases, you or one of your dependencies are requesting",
         "npm error 403 a package version that is forbidden by your security policy, or"],
        ["npm error code EINTEGRITY",
         "npm error sha512-lzTiSnWjy9ygJO1/Sm8FBnlx9at/vDsNLO/gQ15cVZAv5IeuGdADGh0Q8D0vQl45pWrG1kHtdGfGQyyatZ2cmg== integrity checksum failed when using sha512: wanted sha512-lzTiSnWjy9ygJO1/Sm8FBnlx9at/vDsNLO/gQ15cVZAv5IeuGdADGh0Q8D0vQl45pWrG1kHtdGfGQyyatZ2cmg== but got sha512-W1oSBVjGBcjH97Cu4zNZWKHFM7tj9NPSbxfylyvnwK/+y51bAWtvOH6/VWDi9Om3DSUGXvVGX66qRYffiNIYCw==. (5144 bytes)"],
        ["npm error code EACCES", "npm error syscall mkdir", "npm error path /home/runner/.npm/_cacache", "npm error errno EACCES",
         "npm error Your cache folder contains root-owned files, due to a bug in",
         "npm error   sudo chown -R 1001:1001 \"/home/runner/.npm\""],
    ]

    static let packages = ["react", "react-dom", "lodash", "@babel/core", "@babel/preset-env", "webpack", "typescript",
                           "@types/node", "eslint", "jest", "chalk", "debug", "semver", "postcss", "@emotion/react",
                           "axios", "express", "rxjs", "tslib", "core-js"]

    func write(to path: String) -> Bool {
        guard let file = fopen(path, "w") else { return false }
        defer { fclose(file) }
        var line = 0
        var rng = SplitMix(seed: 43)
        var writer = GeneratedLogWriter(file: file)
        var second = 0
        var pending: [String] = []
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        while writer.written < targetBytes {
            line += 1
            if line % 1000 == 0 { second += 1 }
            let stamp = GeneratedLogWriter.stamp(second: second, rng: &rng)
            let vertex = 8 + (line / 50_000) % 6
            let elapsed = "\(line % 900).\(pad3(Int(rng.next() % 1000)))"
            var text: String
            if !pending.isEmpty {
                text = "#\(vertex) \(elapsed) " + pending.removeFirst()
            } else {
                let package = pick(Self.packages)
                let version = "\(rng.next() % 20).\(rng.next() % 30).\(rng.next() % 10)"
                switch rng.next() % 100 {
                case 0..<22:
                    let encoded = package.split(separator: "/").joined(separator: "%2f")
                    text = "#\(vertex) \(elapsed) npm http fetch GET 200 https://registry.npmjs.org/\(encoded) \(rng.next() % 900)ms (cache miss)"
                case 22..<34:
                    let base = package.split(separator: "/").last.map(String.init) ?? package
                    text = "#\(vertex) \(elapsed) npm http fetch GET 200 https://registry.npmjs.org/\(package)/-/\(base)-\(version).tgz \(rng.next() % 400)ms (cache miss)"
                case 34..<38:
                    text = "#\(vertex) \(elapsed) npm warn deprecated \(package)@\(version): This version is no longer supported; upgrade to the latest release"
                case 38..<50:
                    text = "#\(vertex) \(elapsed)   ./src/components/\(pick(["Button", "Modal", "Table", "Form", "Chart"]))\(rng.next() % 200).tsx \(rng.next() % 30).\(rng.next() % 10) KiB [built] [code generated]"
                case 50..<56:
                    text = "#\(vertex) \(elapsed) asset \(pick(["main", "vendors", "runtime"])).\(rng.next() % 1_000_000).js \(rng.next() % 900) KiB [emitted] [minimized] (name: main) 1 related asset"
                case 56..<70:
                    text = "#\(vertex) \(elapsed)     ✓ \(pick(["renders", "handles click", "submits the form", "shows an error"])) case \(rng.next() % 500) (\(rng.next() % 90) ms)"
                case 70..<78:
                    text = "#\(vertex) \(elapsed) PASS src/\(pick(["components", "hooks", "utils", "pages"]))/\(pick(["Button", "useFetch", "format", "Home"]))\(rng.next() % 300).test.tsx (\(rng.next() % 9).\(pad3(Int(rng.next() % 1000))) s)"
                case 78..<86:
                    text = "#\(vertex) \(elapsed) /home/runner/work/app/app/src/\(pick(["api", "store", "views"]))/file\(rng.next() % 400).ts"
                case 86..<92:
                    text = "#\(vertex) \(elapsed)   \(rng.next() % 300):\(rng.next() % 80)  warning  'value\(rng.next() % 50)' is assigned a value but never used  @typescript-eslint/no-unused-vars"
                case 92..<96:
                    text = "#\(vertex) \(elapsed) [webpack-cli] Compiler is watching files for updates... \(rng.next() % 1000) modules"
                default:
                    text = "#\(vertex) \(elapsed) > app@1.0.0 \(pick(["build", "lint", "test"]))"
                }
            }
            // A new BuildKit step every 50,000 lines, with its header and the previous step's DONE.
            if line % 50_000 == 1 {
                text = "#\(vertex) [builder \(vertex - 7)/7] RUN npm ci --loglevel=http && npm run lint && npm run build && npm test"
            } else if line % 50_000 == 0 {
                text = "#\(vertex) DONE \(rng.next() % 90).\(rng.next() % 10)s"
            }
            // Off the 50,000-line step boundaries, so no step header replaces a line of the block.
            if line % errorEvery == errorEvery / 2 + 1_000 {
                let block = Self.failures[(line / errorEvery) % Self.failures.count]
                text = "#\(vertex) \(elapsed) " + block[0]
                pending = Array(block.dropFirst())
            }
            writer.append(stamp: stamp, text: text)
        }
        writer.flush()
        return true
    }

    private func pad(_ v: Int) -> String { GeneratedLogWriter.pad(v) }
    private func pad3(_ v: Int) -> String { GeneratedLogWriter.pad3(v) }
}
