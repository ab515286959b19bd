import { createPartialParser } from '../src/partial/index.js';
const orig = JSON.parse; let calls = 0;
JSON.parse = ((t: string) => { calls++; return orig(t); }) as typeof JSON.parse;
const p = createPartialParser(); p.write('{"a":[1,2,{"b":3}]}'); p.end();
console.log('JSON.parse calls', calls);
