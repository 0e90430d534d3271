#!/usr/bin/env node
// `curl` as the guide test runs it: addresses on a port a guide's `ae serve`
// asked for go to the free port the ae shim started it on.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from './events.mjs';
import { realProgram, runAndExit } from './run.mjs';

const portsFile = join(process.env.GUIDE_STATE ?? '.', 'ports');
const ports = new Map(
  existsSync(portsFile)
    ? readFileSync(portsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => /** @type {[string, string]} */ (line.split(' ')))
    : [],
);
const args = process.argv.slice(2);
const rewritten = args.map((arg) => arg.replace(/\b(localhost|127\.0\.0\.1):(\d+)/g, (whole, host, port) => (ports.has(port) ? `${host}:${ports.get(port)}` : whole)));
runAndExit(realProgram('curl'), rewritten, { command: commandLine(['curl', ...args]), ...(rewritten.join() !== args.join() ? { ran: commandLine(['curl', ...rewritten]) } : {}) });
