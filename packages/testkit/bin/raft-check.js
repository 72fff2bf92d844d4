#!/usr/bin/env node
import '../dist/check/cli.js';
