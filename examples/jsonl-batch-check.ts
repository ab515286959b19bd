/**
 * JSON Lines: check an OpenAI Batch API results file against a schema, record by record. A bad
 * line (here, one cut short) is reported with its line number and position and does not take
 * its neighbours down; each good record's answer is validated with zod.
 *
 *   npx tsx examples/jsonl-batch-check.ts [results.jsonl]
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { parseJsonl } from 'streamshape';

/** One line of a Batch API output file. */
const BatchLine = z.object({
  custom_id: z.string(),
  response: z
    .object({
      status_code: z.number(),
      body: z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })).optional() }).loose(),
    })
    .nullable(),
  error: z.object({ code: z.string().nullish(), message: z.string() }).nullable(),
});

/** What each request asked the model to answer (the content is a JSON text). */
const Review = z.object({
  sentiment: z.enum(['positive', 'negative', 'neutral']),
  score: z.number().min(0).max(1),
  topics: z.array(z.string()),
});

const file = process.argv[2] ?? fileURLToPath(new URL('./streams/batch-results.jsonl', import.meta.url));
const counts = { ok: 0, invalid: 0, failed: 0, unreadable: 0 };

for await (const record of parseJsonl(createReadStream(file), { errors: 'emit' })) {
  if (record.type === 'error') {
    counts.unreadable++;
    console.log(`line ${record.line}: not JSON: ${record.error.message}`);
    continue;
  }
  if (record.type !== 'value') continue;
  const line = BatchLine.safeParse(record.value);
  if (!line.success) {
    counts.invalid++;
    console.log(`line ${record.line}: not a batch result: ${z.prettifyError(line.error)}`);
    continue;
  }
  const { custom_id, response, error } = line.data;
  const content = response?.body.choices?.[0]?.message.content;
  if (error !== null || response === null || response.status_code !== 200 || content === undefined) {
    counts.failed++;
    console.log(`line ${record.line}: ${custom_id}: request failed (status ${response?.status_code ?? '-'})`);
    continue;
  }
  const review = Review.safeParse(JSON.parse(content));
  if (review.success) {
    counts.ok++;
    console.log(`line ${record.line}: ${custom_id}: ok (${review.data.sentiment}, ${review.data.score})`);
  } else {
    counts.invalid++;
    const issue = review.error.issues[0]!;
    console.log(`line ${record.line}: ${custom_id}: answer fails the schema at ${issue.path.join('.')}: ${issue.message}`);
  }
}
console.log(`summary: ${counts.ok} ok, ${counts.invalid} invalid, ${counts.failed} failed requests, ${counts.unreadable} unreadable lines`);
