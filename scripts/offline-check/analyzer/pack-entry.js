// Child-process entry of a policy pack. Registers TypeScript the way the CLI's policy pack host does
// (typescript-host.js: the pack's tsconfig.json, else the host's defaults, so a published pack without a
// tsconfig.json starts as under `pulumi preview --policy-pack`), then requires the pack's entry (argv[2]),
// which starts the Analyzer server and prints its port.
"use strict";
const path = require("path");

require("../typescript-host").registerTypeScript(process.cwd());
require(path.resolve(process.argv[2]));
