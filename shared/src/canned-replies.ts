/**
 * 常用回复: replies a studio (or the whole office) writes once and members insert from the reply box.
 * The text may hold placeholders, filled in when it is inserted.
 */
export const CANNED_REPLY_PLACEHOLDERS = { salutation: '{称呼}', studioName: '{工作室名}' } as const;
export const CANNED_REPLY_TITLE_MAX = 30;
export const CANNED_REPLY_TEXT_MAX = 1000;
/** Per studio, and office-wide: a picker beyond this is no help. */
export const CANNED_REPLIES_MAX = 50;

/** Fills a canned reply's placeholders for one ticket. */
export function fillCannedReply(text: string, values: { salutation: string; studioName: string }): string {
  return text
    .split(CANNED_REPLY_PLACEHOLDERS.salutation)
    .join(values.salutation)
    .split(CANNED_REPLY_PLACEHOLDERS.studioName)
    .join(values.studioName);
}
