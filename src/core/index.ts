export * from './counts.js';
export * from './general.js';
export * from './order.js';
export * from './paths.js';
export * from './random.js';
export * from './strategy.js';
export * from './verdict.js';
