import { AeError } from '@aekit/core';

/**
 * A layer the converter has no ONNX mapping for, or a setting of a known
 * layer it cannot translate exactly. Conversion stops rather than writing a
 * model that would compute something else.
 *
 * @example
 * ```ts
 * import { tf } from '@aekit/core';
 * import { toOnnx, UnsupportedLayerError } from '@aekit/export-onnx';
 *
 * declare const model: tf.LayersModel;
 * try {
 *   toOnnx(model);
 * } catch (error) {
 *   if (error instanceof UnsupportedLayerError) console.log(error.layerName, error.className, error.code); // e.g. 'lambda_1' 'Lambda' 'unsupported-layer'
 * }
 * ```
 */
export class UnsupportedLayerError extends AeError {
  /** Name of the layer, e.g. `sampling_1`. */
  readonly layerName: string;
  /** tfjs class name of the layer, e.g. `Sampling`. */
  readonly className: string;

  /**
   * @param layerName - The layer's name.
   * @param className - The layer's tfjs class name.
   * @param reason - What cannot be converted; omitted for an unknown layer type.
   */
  constructor(layerName: string, className: string, reason?: string) {
    super(
      'unsupported-layer',
      reason
        ? `cannot convert layer '${layerName}' (${className}) to ONNX: ${reason}`
        : `cannot convert layer '${layerName}' (${className}) to ONNX: no converter for layers of type ${className}`,
    );
    this.name = 'UnsupportedLayerError';
    this.layerName = layerName;
    this.className = className;
  }
}
