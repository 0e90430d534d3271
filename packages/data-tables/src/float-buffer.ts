/**
 * A growable array of float32 values: rows are appended as a file streams
 * in, and the result is one compact Float32Array (4 bytes a value, no
 * per-row objects), however many rows there are.
 */
export class FloatBuffer {
  private values = new Float32Array(1024);
  private used = 0;

  /** Values appended so far. */
  get length(): number {
    return this.used;
  }

  /** Appends values, doubling the storage when it is full. */
  push(values: ArrayLike<number>): void {
    if (this.used + values.length > this.values.length) {
      const grown = new Float32Array(Math.max(this.values.length * 2, this.used + values.length));
      grown.set(this.values.subarray(0, this.used));
      this.values = grown;
    }
    this.values.set(values, this.used);
    this.used += values.length;
  }

  /** The values appended, as an array of exactly that length. */
  toArray(): Float32Array {
    return this.values.slice(0, this.used);
  }
}

/** The same for integers (line numbers, labels). */
export class IntBuffer {
  private values = new Int32Array(256);
  private used = 0;

  /** Values appended so far. */
  get length(): number {
    return this.used;
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.used === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.used++] = value;
  }

  /** The values appended, as an array of exactly that length. */
  toArray(): Int32Array {
    return this.values.slice(0, this.used);
  }
}
