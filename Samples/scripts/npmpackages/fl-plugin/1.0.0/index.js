const hello = require("fl-greeting");
module.exports = (name) => hello(name, "hi");
