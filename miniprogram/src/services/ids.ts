/** An Idempotency-Key: 24 random hex characters after a time prefix (fits ^[A-Za-z0-9_.:-]{8,128}$). */
export function newIdempotencyKey(random: () => number = Math.random): string {
  let hex = '';
  for (let i = 0; i < 24; i++) hex += Math.floor(random() * 16).toString(16);
  return `t${Date.now().toString(36)}-${hex}`;
}
