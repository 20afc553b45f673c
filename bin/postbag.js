#!/usr/bin/env node
// The postbag command runs the compiled CLI (npm install builds it; `npm run build` rebuilds it).
await import("../dist/bots/cli/main.js");
