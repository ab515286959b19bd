import fc from 'fast-check';

/**
 * `STREAMSHAPE_FC_SEED` fixes every property test's seed. `.ci/run` sets it from the commit
 * hash, so CI and a dry run of the same commit draw the same cases; `npm test` alone (and
 * `npm run test:deep`) keeps fast-check's random seed and explores. A failing property prints
 * its seed and path either way.
 */
const seed = process.env.STREAMSHAPE_FC_SEED;
if (seed !== undefined && seed !== '') {
  const n = Number(seed);
  if (!Number.isSafeInteger(n)) throw new Error(`STREAMSHAPE_FC_SEED must be an integer, got ${JSON.stringify(seed)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: n | 0 });
}
