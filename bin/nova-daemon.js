#!/usr/bin/env node
// `nova-daemon compute` is `nova daemon compute`.
require('@oclif/core').execute({ dir: __dirname, args: ['daemon', ...process.argv.slice(2)] });
