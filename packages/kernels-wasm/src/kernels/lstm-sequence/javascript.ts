// The heap functions of the LSTM sequence as JavaScript loops, for the wasm
// backend where the heap kernels cannot run (no SIMD): the same arithmetic
// in float32 steps, with the platform's exp and tanh.

const f = Math.fround;
const sigmoid = (z: number) => f(1 / (1 + Math.exp(-z)));
const hardSigmoid = (z: number) => Math.min(Math.max(f(f(z * f(0.2)) + 0.5), 0), 1);
const gate = (z: number, hard: number) => (hard ? hardSigmoid(z) : sigmoid(z));
const tanh = (x: number) => f(Math.tanh(x));

/** d gate / dz, as gates.h gives it. */
function gateSlope(z: number, a: number, hard: number): number {
  if (!hard) return f(a * f(1 - a));
  const y = f(f(z * f(0.2)) + 0.5);
  return y >= 0 && y <= 1 ? f(0.2) : 0;
}

/** lstm-step.c: views of `z`, `recurrent` (or null), `c`, `h`, `hStep`; sizes batch, steps, units, step, hard. */
export function lstmStepInJavaScript([z, recurrent, c, h, hStep]: (Float32Array | null)[], [batch, steps, units, step, hard]: number[]): void {
  const gates = 4 * units!;
  for (let b = 0; b < batch!; b++) {
    const row = b * steps! + step!;
    for (let u = 0; u < units!; u++) {
      const pre = [0, 1, 2, 3].map((k) => {
        const at = row * gates + k * units! + u;
        if (recurrent) z![at] = z![at]! + recurrent[b * gates + k * units! + u]!;
        return z![at]!;
      }) as [number, number, number, number];
      const [i, fg, g, o] = [gate(pre[0], hard!), gate(pre[1], hard!), tanh(pre[2]), gate(pre[3], hard!)];
      const ig = f(i * g);
      const cn = step! > 0 ? f(f(fg * c![(row - 1) * units! + u]!) + ig) : ig;
      const hn = f(o * tanh(cn));
      c![row * units! + u] = cn;
      h![row * units! + u] = hn;
      hStep![b * units! + u] = hn;
    }
  }
}

/** lstm-step-gradient.c: views of `z`, `c`, `dh`, `dhRecurrent` (or null), `dcNext`, `dz`, `dzStep`; the same sizes. */
export function lstmStepGradientInJavaScript([z, c, dh, dhRecurrent, dcNext, dz, dzStep]: (Float32Array | null)[], [batch, steps, units, step, hard]: number[]): void {
  const gates = 4 * units!;
  for (let b = 0; b < batch!; b++) {
    const row = b * steps! + step!;
    for (let u = 0; u < units!; u++) {
      const [zi, zf, zc, zo] = [0, 1, 2, 3].map((k) => z![row * gates + k * units! + u]!) as [number, number, number, number];
      const [i, fg, g, o] = [gate(zi, hard!), gate(zf, hard!), tanh(zc), gate(zo, hard!)];
      const tc = tanh(c![row * units! + u]!);
      let dht = dh![row * units! + u]!;
      if (dhRecurrent) dht = f(dht + dhRecurrent[b * units! + u]!);
      let dc = f(f(dht * o) * f(1 - f(tc * tc)));
      if (step! + 1 < steps!) dc = f(dc + dcNext![b * units! + u]!);
      const cPrev = step! > 0 ? c![(row - 1) * units! + u]! : 0;
      const d = [
        f(f(dc * g) * gateSlope(zi, i, hard!)),
        f(f(dc * cPrev) * gateSlope(zf, fg, hard!)),
        f(f(dc * i) * f(1 - f(g * g))),
        f(f(dht * tc) * gateSlope(zo, o, hard!)),
      ];
      d.forEach((value, k) => {
        dz![row * gates + k * units! + u] = value;
        dzStep![b * gates + k * units! + u] = value;
      });
      dcNext![b * units! + u] = f(dc * fg);
    }
  }
}

/** transposed-product.c: views of `a`, `b`, `c`; sizes sequences, steps, m, n, lag (summed in float64, rounded once). */
export function transposedProductInJavaScript([a, b, c]: Float32Array[], [sequences, steps, m, n, lag]: number[]): void {
  const sums = new Float64Array(m! * n!);
  for (let s = 0; s < sequences!; s++) {
    for (let t = lag!; t < steps!; t++) {
      const k = s * steps! + t;
      for (let i = 0; i < m!; i++) {
        const av = a![(k - lag!) * m! + i]!;
        for (let j = 0; j < n!; j++) sums[i * n! + j]! += av * b![k * n! + j]!;
      }
    }
  }
  c!.set(sums);
}
