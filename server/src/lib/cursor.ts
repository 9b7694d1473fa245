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

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && (typeof parsed[0] === 'number' || typeof parsed[0] === 'string') && typeof parsed[1] === 'string' && Types.ObjectId.isValid(parsed[1])) {
      return { key: parsed[0], id: new Types.ObjectId(parsed[1]) };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', { logMessage: 'malformed cursor', userMessage: '分页参数无效，请刷新后重试' });
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
