#!/usr/bin/env node
// The `nova` CLI: tenant/admin client and launcher of every daemon.
// Client options may come before the command, as with python-novaclient (`nova --os-token T list`).
const { hoistClientOptions } = require('../dist/src/cli/argv');
require('@oclif/core').execute({ dir: __dirname, args: hoistClientOptions(process.argv.slice(2)) });
