// Builds the native kernels' prebuilt binary from Debian's toolchain and
// Eigen (apt-get install g++ libeigen3-dev), and records a hash of
// everything it was built from:
//
//   node scripts/build-native.mjs           build prebuilds/linux-x64/node.napi.glibc.node
//   node scripts/build-native.mjs --check   exit 1 unless the committed binary's recorded hash
//                                           matches the sources (no compiler needed; a test runs it)
//
// The binary is committed, as the wasm heap module is, so that neither CI
// nor `npm i` needs a compiler. It links libstdc++ and libgcc statically and
// needs only glibc: the kernels are compiled three times (SSE2, AVX2 + FMA,
// AVX-512), each build's Eigen in its own namespace, and the addon picks one
// at load from the CPU's features.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = join(root, 'native');
const OUT_DIR = join(root, 'prebuilds', 'linux-x64');
const BINARY = join(OUT_DIR, 'node.napi.glibc.node');
const RECORD = join(OUT_DIR, 'build.json');
const EIGEN = '/usr/include/eigen3';
const CXX = process.env.CXX ?? 'g++';
/** The committed binary must stay well under the repository's 5 MB limit for a file. */
const MAX_BYTES = 4 * 2 ** 20;

/** The instruction sets the kernels are built for, each with its compiler flags. */
const ISAS = {
  sse2: ['-march=x86-64', '-mtune=generic'],
  avx2: ['-march=x86-64-v3', '-mtune=znver3'],
  avx512: ['-march=x86-64-v4', '-mtune=icelake-server'],
};
const COMMON = ['-O3', '-fPIC', '-fvisibility=hidden', '-fvisibility-inlines-hidden', '-ffunction-sections', '-fdata-sections', '-fno-plt'];
/** No contraction into FMA and no math reordering: the elementwise kernels give the wasm heap kernels' floats, but where kernels.cc writes a multiply-add out (its logarithm and exponential). */
const MATH = ['-ffp-contract=off', '-fno-math-errno', '-fno-trapping-math'];
const BASELINE = ['-march=x86-64', '-mtune=generic', '-std=c++20'];

function sources() {
  return readdirSync(NATIVE)
    .filter((f) => /\.(cc|h)$/.test(f))
    .sort();
}

/** A hash of the sources, this script's flags and the Eigen version: what the binary was built from. */
function sourceHash() {
  const hash = createHash('sha256');
  for (const file of sources()) hash.update(`${file}\0${readFileSync(join(NATIVE, file))}\0`);
  hash.update(JSON.stringify({ ISAS, COMMON, MATH, BASELINE }));
  hash.update(eigenVersion());
  return hash.digest('hex');
}

function eigenVersion() {
  try {
    const macros = readFileSync(join(EIGEN, 'Eigen/src/Core/util/Macros.h'), 'utf8');
    return ['WORLD', 'MAJOR', 'MINOR'].map((part) => macros.match(new RegExp(`#define EIGEN_${part}_VERSION (\\d+)`))?.[1]).join('.');
  } catch {
    return 'absent';
  }
}

function check() {
  let record;
  try {
    record = JSON.parse(readFileSync(RECORD, 'utf8'));
    statSync(BINARY);
  } catch {
    console.error(`no committed binary at ${BINARY}: run node scripts/build-native.mjs`);
    process.exit(1);
  }
  const hash = sourceHash();
  if (record.sourceHash !== hash) {
    console.error(`the native binary is out of date (built from ${record.sourceHash.slice(0, 12)}, sources are ${hash.slice(0, 12)}): run node scripts/build-native.mjs`);
    process.exit(1);
  }
  const digest = createHash('sha256').update(readFileSync(BINARY)).digest('hex');
  if (record.binarySha256 !== digest) {
    console.error(`the native binary does not match its record (sha256 ${digest.slice(0, 12)}, recorded ${record.binarySha256.slice(0, 12)}): run node scripts/build-native.mjs`);
    process.exit(1);
  }
  console.log(`native binary up to date (${record.sourceHash.slice(0, 12)}, ${record.bytes} bytes)`);
}

function run(args) {
  execFileSync(CXX, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Objects built before from the same sources and flags (Eigen's kernels take minutes), under node_modules/.cache. */
const CACHE = join(root, 'node_modules', '.cache', 'aekit-native');

/** Compiles `args` (ending in `-c source -o object`) unless an object of the same sources and flags is cached. */
function compile(args, object) {
  const key = createHash('sha256').update(JSON.stringify(args.slice(0, -1))).update(execFileSync(CXX, ['--version'])).update(eigenVersion());
  // The source (third from the end) and every header.
  for (const file of [args.at(-3), ...sources().filter((f) => f.endsWith('.h')).map((f) => join(NATIVE, f))]) key.update(readFileSync(file));
  const cached = join(CACHE, `${key.digest('hex').slice(0, 24)}.o`);
  try {
    statSync(cached);
  } catch {
    run(args.slice(0, -1).concat(cached));
  }
  copyFileSync(cached, object);
}

function headersDir() {
  const dir = join(root, 'node_modules', 'node-api-headers', 'include');
  statSync(join(dir, 'node_api.h'));
  return dir;
}

/** Weak (template) symbols defined by more than one kernel build: the linker would keep one build's code for all. */
function sharedWeakSymbols(objects) {
  const seen = new Map();
  const shared = [];
  for (const object of objects) {
    const out = execFileSync('nm', ['--defined-only', object], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      const [, type, name] = line.trim().split(/\s+/);
      // DW.ref.* are pointers to the C++ personality routine: data, the same in every build.
      if (!name || !/^[WVui]$/.test(type) || name.startsWith('DW.ref.')) continue;
      if (seen.has(name) && seen.get(name) !== object) shared.push(name);
      seen.set(name, object);
    }
  }
  return shared;
}

function build() {
  const work = mkdtempSync(join(tmpdir(), 'aekit-native-'));
  mkdirSync(CACHE, { recursive: true });
  try {
    const objects = [];
    const kernelObjects = [];
    for (const [isa, flags] of Object.entries(ISAS)) {
      const object = join(work, `kernels-${isa}.o`);
      console.error(`compiling the ${isa} kernels…`);
      compile([
        ...COMMON,
        ...MATH,
        ...flags,
        '-std=c++17',
        '-fno-exceptions',
        `-I${EIGEN}`,
        `-DEigen=Eigen_${isa}`,
        `-DAEKIT_TABLE=aekit_kernels_${isa}`,
        `-DAEKIT_ISA="${isa}"`,
        '-c',
        join(NATIVE, 'kernels.cc'),
        '-o',
        object,
      ], object);
      objects.push(object);
      kernelObjects.push(object);
    }
    const shared = sharedWeakSymbols(kernelObjects);
    if (shared.length > 0) throw new Error(`the kernel builds share weak symbols, which the linker would merge across instruction sets:\n${shared.slice(0, 20).join('\n')}`);
    // Everything but the kernels, once, for the baseline CPU.
    for (const file of sources().filter((f) => f.endsWith('.cc') && f !== 'kernels.cc')) {
      const object = join(work, file.replace('.cc', '.o'));
      compile([...COMMON, ...BASELINE, `-I${headersDir()}`, '-DNAPI_VERSION=8', '-DNODE_GYP_MODULE_NAME=aekit_kernels_native', '-c', join(NATIVE, file), '-o', object], object);
      objects.push(object);
    }
    mkdirSync(OUT_DIR, { recursive: true });
    console.error('linking…');
    // Linked beside it, then renamed over it: a process that has the old binary loaded keeps its pages (writing the
    // file in place would change them under it and crash it).
    const linked = join(work, 'node.napi.glibc.node');
    run(['-shared', '-o', linked, ...objects, '-static-libstdc++', '-static-libgcc', '-Wl,--gc-sections', '-Wl,--exclude-libs,ALL', '-Wl,-O1', '-Wl,--as-needed', '-s', '-lpthread']);
    copyFileSync(linked, `${BINARY}.partial`);
    renameSync(`${BINARY}.partial`, BINARY);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const bytes = statSync(BINARY).size;
  if (bytes > MAX_BYTES) throw new Error(`the binary is ${bytes} bytes, over the ${MAX_BYTES} this package allows`);
  const record = {
    sourceHash: sourceHash(),
    binarySha256: createHash('sha256').update(readFileSync(BINARY)).digest('hex'),
    bytes,
    compiler: execFileSync(CXX, ['--version'], { encoding: 'utf8' }).split('\n')[0],
    eigen: eigenVersion(),
    isas: Object.keys(ISAS),
    needs: glibcVersions(),
  };
  writeFileSync(RECORD, JSON.stringify(record, null, 2) + '\n');
  console.log(`wrote ${BINARY} (${bytes} bytes; ${record.isas.join(', ')}; needs ${record.needs.join(', ')})`);
}

/** The glibc symbol versions the binary needs, newest last. */
function glibcVersions() {
  const out = execFileSync('objdump', ['-T', BINARY], { encoding: 'utf8' });
  const versions = new Set([...out.matchAll(/\((GLIBC_[\d.]+)\)/g)].map((m) => m[1]));
  const key = (v) => v.slice(6).split('.').map(Number);
  return [...versions].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
}

if (process.argv.includes('--check')) check();
else build();
