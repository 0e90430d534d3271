/**
 * Pictures for aekit: labelled rows of small grey or colour images, line
 * and scatter charts, heat maps of table rows, bar charts of benchmark
 * results, all written as PNG without native build steps.
 *
 * @packageDocumentation
 */
export { encodeGrayPng, encodePng, decodeGrayPng } from './png.js';
export { svgToPng } from './svg-to-png.js';
export { renderImageRows, type ImageRowsOptions } from './image-rows.js';
export { renderHeatmap, renderLines, renderScatter, renderVegaLite } from './charts.js';
export { renderBars, type Bar, type BarFigure } from './bar-chart.js';
export { createFigureWriter } from './figure-writer.js';
