#!/usr/bin/env node
import { tf } from '@aekit/core';
import { runCli } from '../program.js';

// Production mode silences tfjs' console advice, such as the suggestion to
// install tfjs-node, which aekit deliberately does without.
tf.enableProdMode();
process.exitCode = await runCli(process.argv.slice(2));
