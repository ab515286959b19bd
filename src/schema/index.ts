export { zodGuide } from './zod-guide.js';
