import { Types } from 'mongoose';
import { AppError } from '../errors';

/**
 * Opaque keyset cursors: base64url JSON of the last item's sort key and id. Keyset paging stays
 * fast on deep pages, unlike skip/offset.
 */
export interface KeysetPosition {
  key: number | string;
  id: Types.ObjectId;
}

export function encodeCursor(key: number | string, id: Types.ObjectId | string): string {
  return Buffer.from(JSON.stringify([key, String(id)])).toString('base64url');
}

/**
 * The position a cursor names. `keyType` is the type of the sort field the cursor continues: a forged
 * cursor whose key has another type would make the query fail to cast (a 500), so it is refused here.
 */
export function decodeCursor(cursor: string, keyType?: 'number' | 'string'): KeysetPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[1] === 'string' &&
      /^[0-9a-f]{24}$/.test(parsed[1])
    ) {
      const [key] = parsed as unknown[];
      const keyOk =
        keyType === 'number'
          ? typeof key === 'number' && Number.isFinite(key)
          : keyType === 'string'
            ? typeof key === 'string'
            : typeof key === 'number' || typeof key === 'string';
      if (keyOk) return { key: key as number | string, id: new Types.ObjectId(parsed[1]) };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', {
    logMessage: 'malformed cursor',
    userMessage: '分页参数无效，请刷新后重试',
  });
}

/** The filter that continues an ascending (key, _id) ordering after `position`. */
export function afterPosition(keyField: string, position: KeysetPosition): Record<string, unknown> {
  return {
    $or: [{ [keyField]: { $gt: position.key } }, { [keyField]: position.key, _id: { $gt: position.id } }],
  };
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
