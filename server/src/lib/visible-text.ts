/** Zero-width and other invisible format characters, which must not count as content. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;

/** The text as a reader sees it: without invisible characters, trimmed. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '').trim();
}
