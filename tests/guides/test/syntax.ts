// Syntax checks of the blocks that cannot run here (Kubernetes manifests,
// a Dockerfile, an nginx configuration, JSON excerpts). Each returns the
// problems found, as "line N: what", line numbers counted within the block.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { parseAllDocuments } from 'yaml';

/** Every YAML document of the block parses (a manifest with `---` between resources is several). */
export function yamlProblems(text: string): string[] {
  return parseAllDocuments(text).flatMap((doc) =>
    'errors' in doc ? doc.errors.map((error) => `line ${(error.linePos?.[0].line ?? 0)}: ${error.message.split('\n')[0]}`) : [],
  );
}

/** A JSON value, or the members of an object (an excerpt of a file such as metrics.json: `"denoising": { … }`). */
export function jsonProblems(text: string): string[] {
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    try {
      JSON.parse(`{${text}}`);
      return [];
    } catch {
      return [(error as Error).message];
    }
  }
}

/** Instructions whose arguments, in the exec form, are a JSON array. */
const EXEC_FORM = /^(CMD|ENTRYPOINT|RUN|SHELL|VOLUME|HEALTHCHECK\s+CMD)\s+(\[[\s\S]*)$/i;

/**
 * dockerfile-utils' validator (the one VS Code's Docker extension runs):
 * unknown instructions, wrong arguments, and an exec form that is not a
 * JSON array (which Docker would run as a shell command instead).
 */
export function dockerfileProblems(text: string): string[] {
  const problems = validate(text)
    .filter((d) => d.severity === ValidationSeverity.ERROR || d.severity === ValidationSeverity.WARNING)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  // Join continuation lines into instructions.
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let instruction = lines[i];
    while (/\\\s*$/.test(instruction) && i + 1 < lines.length) instruction = instruction.replace(/\\\s*$/, ' ') + lines[++i];
    const exec = EXEC_FORM.exec(instruction.trim());
    if (!exec) continue;
    try {
      const args = JSON.parse(exec[2]) as unknown;
      if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) problems.push(`line ${start + 1}: ${exec[1]}'s exec form must be a JSON array of strings`);
    } catch (error) {
      problems.push(`line ${start + 1}: ${exec[1]}'s exec form is not JSON (${(error as Error).message}); Docker would run it as a shell command`);
    }
  }
  return problems;
}

/** Whether nginx is installed (.ci/run installs nginx-light for this check). */
export function hasNginx(): boolean {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `nginx -t` on the block as the `http` part of a configuration (upstreams and servers, as the guide shows). */
export function nginxProblems(text: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'aekit-nginx-'));
  try {
    writeFileSync(join(dir, 'block.conf'), text);
    writeFileSync(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/block.conf;\n}\n`);
    execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    return [];
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message);
    return stderr
      .split('\n')
      .filter((line) => /\[emerg\]|\[error\]/.test(line))
      .map((line) => line.replace(/^.*\[(emerg|error)\] \d+#\d+: /, '').replace(`${dir}/block.conf:`, 'line '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
