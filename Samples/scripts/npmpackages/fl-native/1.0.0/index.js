module.exports = require("./prebuilds/fl_native.node");
