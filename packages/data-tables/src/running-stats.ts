/**
 * Mean and standard deviation of each feature, updated one row at a time
 * (Welford's algorithm), so a scaler is fitted in one streaming pass
 * without keeping the rows; numerically stable where the naive sum of
 * squares is not.
 */
export class RunningStats {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  /** @param features - Values per row. */
  constructor(features: number) {
    this.mean = new Float64Array(features);
    this.m2 = new Float64Array(features);
  }

  /** Rows seen. */
  get rows(): number {
    return this.count;
  }

  /**
   * Adds one row.
   *
   * @param row - The row's features, one value per feature (as many as given to the constructor).
   */
  add(row: ArrayLike<number>): void {
    this.count++;
    for (let j = 0; j < this.mean.length; j++) {
      const delta = row[j] - this.mean[j];
      this.mean[j] += delta / this.count;
      this.m2[j] += delta * (row[j] - this.mean[j]);
    }
  }

  /**
   * The means and population standard deviations (as scikit-learn's
   * `StandardScaler`); a constant feature gets a standard deviation of 1
   * so that standardising it gives 0 rather than NaN.
   */
  result(): { mean: number[]; std: number[] } {
    const std = Array.from(this.m2, (m2) => {
      const s = this.count > 0 ? Math.sqrt(m2 / this.count) : 0;
      return s > 1e-12 ? s : 1;
    });
    return { mean: Array.from(this.mean), std };
  }
}
