// What prebuild-install style install scripts do: look for a prebuilt binary
// for this platform, and fail when there is none and no toolchain to build one.
const fs = require("fs");
const path = require("path");
const target = `${process.platform}-${process.arch}-node${process.versions.modules}`;
const binary = path.join(__dirname, "prebuilds", target, "fl_native.node");
if (!fs.existsSync(binary)) {
  console.error(`fl-native: no prebuilt binary for ${target} (looked in ${binary})`);
  console.error("fl-native: building from source needs binding.gyp, which this package does not ship");
  process.exit(1);
}
