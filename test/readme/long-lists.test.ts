// The README's "Long lists" example, verbatim between the markers below (the last test checks
// that the README still shows exactly this code).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
// readme:imports:start
import { applyDelta, createPartialParser, type Delta, pointers } from 'streamshape';
// readme:imports:end

it('Long lists: select, onElement, keep: false', () => {
  // readme:lists:start
  const seen: [string, unknown][] = [];
  let replayed: unknown;
  const list = createPartialParser({
    select: pointers('/items/*', '/sections/*/bullets/*'), // @streamparser/json: paths ['$.items.*', '$.sections.*.bullets.*']
    keep: false, // drop what onElement got: memory stays bounded by the largest element
    onElement: (element, pointer) => seen.push([pointer, element]),
    onDelta: (deltas: Delta[]) => (replayed = applyDelta(replayed, deltas)), // `remove` ops included
  });
  list.write('{"total": 3, "items": [{"id": 1}, {"id": 2, "tags": ["a"');
  expect(seen).toEqual([['/items/0', { id: 1 }]]);
  expect(list.value).toEqual({ total: 3, items: [{ id: 2, tags: ['a'] }] }); // only the element still streaming
  list.write(']}, {"id": 3}], "sections": [{"bullets": ["x", "y"]}]}');
  expect(seen.map(([pointer]) => pointer)).toEqual(['/items/0', '/items/1', '/items/2', '/sections/0/bullets/0', '/sections/0/bullets/1']);
  expect(list.end()).toEqual({ total: 3, items: [], sections: [{ bullets: [] }] });
  expect(replayed).toEqual({ total: 3, items: [], sections: [{ bullets: [] }] });
  // readme:lists:end
});

it('the README shows exactly this code', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const start = '  // readme:lists:start\n';
  const code = source.slice(source.indexOf(start) + start.length, source.indexOf('  // readme:lists:end'));
  const imports = source.slice(source.indexOf('// readme:imports:start\n') + '// readme:imports:start\n'.length, source.indexOf('// readme:imports:end'));
  expect(readme).toContain(`\`\`\`ts\n${imports}\n${code.replace(/^ {2}/gm, '')}\`\`\``);
});
