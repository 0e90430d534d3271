export { psnr, ssim, type SsimOptions } from './image-quality.js';
