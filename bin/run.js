#!/usr/bin/env node
// The `nova` CLI: tenant/admin client and launcher of every daemon.
require('@oclif/core').execute({ dir: __dirname });
