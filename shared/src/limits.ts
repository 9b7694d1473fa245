/**
 * Bounds and fixed names the mini-program checks against as it runs (a counter, a phone number, the
 * upload's form field). Plain values without TypeBox, so a page that needs one does not carry the
 * schema builder; the schemas (schemas/tickets.ts, schemas/uploads.ts) are built from them.
 */

export const TICKET_CONTENT_MIN = 5;
export const TICKET_CONTENT_MAX = 2000;
export const MOBILE_PATTERN = '^1[3-9][0-9]{9}$';

/** Image types an upload may have; detected from the bytes, never from the client's claim. */
export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** Largest accepted image, in bytes (5 MB). */
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/** The multipart form field the mini-program sends the image in (`Taro.uploadFile({ name })`). */
export const UPLOAD_FILE_FIELD = 'file';
