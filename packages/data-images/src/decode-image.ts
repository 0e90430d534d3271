import sharp from 'sharp';
import { DataFileError, type ImagePreprocessing } from '@aekit/core';

/** Grey (1) or colour (3) values per pixel. */
export type ChannelCount = 1 | 3;

/** What a file's header says, read without decoding the pixels. */
export interface ImageHeader {
  width: number;
  height: number;
  /** 1 for grey (with or without alpha), 3 for colour. */
  channels: ChannelCount;
}

/** Decoded pixels, row by row, `channels` bytes a pixel. */
export interface DecodedImage extends ImageHeader {
  pixels: Uint8Array;
}

/**
 * Reads an image's size and colour from its header (sharp reads only the
 * header here), as displayed: EXIF orientation applied.
 *
 * @param path - A PNG or JPEG file.
 * @throws DataFileError naming the file when it is not a readable image.
 */
export async function readImageHeader(path: string): Promise<ImageHeader> {
  try {
    const meta = await sharp(path).metadata();
    const { width, height } = meta.autoOrient ?? meta;
    if (!width || !height) throw new Error('no size in the header');
    return { width, height, channels: meta.channels !== undefined && meta.channels <= 2 ? 1 : 3 };
  } catch (error) {
    throw unreadable(path, error);
  }
}

/**
 * Decodes an image as a model's preprocessing says, with sharp (libvips):
 * EXIF orientation applied, transparency flattened onto the description's
 * background, brought to its width and height by its `fit` and `kernel`
 * (`fill` stretches, as Keras' `image_dataset_from_directory` and
 * torchvision's `Resize` do; an image of that size already is left as it
 * is), converted to grey or sRGB colour. Training, evaluation, scoring,
 * `ae infer` and serving all decode through this function. A truncated
 * file is an error rather than a half-grey picture.
 *
 * @param source - A PNG or JPEG file, or its bytes.
 * @param preprocessing - Size, channels, background, fit and kernel.
 * @param name - What to call the image in errors (the path, or `items[2]`); the path by default.
 * @throws DataFileError naming the image when it cannot be decoded.
 */
export async function decodeImage(source: string | Uint8Array, preprocessing: Omit<ImagePreprocessing, 'kind' | 'version'>, name?: string): Promise<DecodedImage> {
  const { width, height, channels, background, fit, kernel } = preprocessing;
  const label = name ?? (typeof source === 'string' ? source : 'image');
  try {
    let pipeline = sharp(source, { failOn: 'truncated' })
      .autoOrient()
      .flatten({ background })
      .resize(width, height, { fit, kernel, background });
    pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoded to ${info.channels} channels, not ${channels}`);
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels };
  } catch (error) {
    throw unreadable(label, error);
  }
}

function unreadable(path: string, error: unknown): DataFileError {
  if (error instanceof DataFileError) return error;
  const first = ((error as Error).message ?? String(error)).split('\n')[0].trim();
  return new DataFileError(path, `not a readable PNG or JPEG image (${first})`);
}
