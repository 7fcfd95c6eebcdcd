const hello = require("fl-greeting");
console.log(hello("faultline"));
