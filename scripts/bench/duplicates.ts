/**
 * `npm run bench:duplicates`: how well duplicate suggestions find the same matter, on the labelled
 * set of 250 synthetic civic tickets the tests ship (50 matters, 5 reports each): the share of
 * tickets whose top suggestion is of the same matter, and the time one suggestion takes over 250.
 */
import { performance } from 'node:perf_hooks';
import { rankBySimilarity } from '../../server/src/lib/text-similarity';
import { labelledTickets } from '../../server/test/fixtures/duplicate-tickets';

const seeds = [20261202, 1, 2, 3, 4];
for (const seed of seeds) {
  const tickets = labelledTickets(seed);
  let correct = 0;
  let withSuggestion = 0;
  const started = performance.now();
  tickets.forEach((ticket, i) => {
    const others = tickets.filter((_, j) => j !== i);
    const [top] = rankBySimilarity(ticket.text, others, (other) => other.text, { limit: 1 });
    if (!top) return;
    withSuggestion += 1;
    if (top.item.group === ticket.group) correct += 1;
  });
  const msEach = (performance.now() - started) / tickets.length;
  console.log(
    `seed ${seed}: ${tickets.length} tickets, ${withSuggestion} with a suggestion, ` +
      `top-1 precision ${(correct / Math.max(1, withSuggestion)).toFixed(3)} (goal >= 0.8), ${msEach.toFixed(1)} ms per suggestion over ${tickets.length - 1}`,
  );
}
