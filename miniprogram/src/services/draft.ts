import {
  MAX_TICKET_IMAGES,
  MOBILE_PATTERN,
  TICKET_CONTENT_MAX,
  TICKET_CONTENT_MIN,
  type SubmitTicketBody,
  type TicketCategory,
} from '@mashangshang/shared';
import { newIdempotencyKey } from './ids';
import { STORAGE_KEYS, type KeyValueStore } from './store';

interface DraftImage {
  id: string;
  url: string;
}

/**
 * The ticket being written, kept in storage on every change so that a failed send, a closed app
 * or a lost network never loses it. Its Idempotency-Key is made once with the draft and reused by
 * every retry, so retries can never create a second ticket; a new key comes only with a new draft.
 */
export interface TicketDraft {
  studioId: string;
  category: TicketCategory;
  content: string;
  images: DraftImage[];
  contactPhone: string;
  contactName: string;
  anonymous: boolean;
  allowContact: boolean;
  consent: boolean;
  idempotencyKey: string;
}

export function loadDraft(store: KeyValueStore, studioId: string): TicketDraft {
  const saved = store.get<TicketDraft>(STORAGE_KEYS.draft(studioId));
  if (saved && saved.studioId === studioId && typeof saved.idempotencyKey === 'string') return saved;
  return {
    studioId,
    category: 'consult',
    content: '',
    images: [],
    contactPhone: '',
    contactName: '',
    anonymous: false,
    allowContact: false,
    consent: false,
    idempotencyKey: newIdempotencyKey(),
  };
}

export function saveDraft(store: KeyValueStore, draft: TicketDraft): void {
  store.set(STORAGE_KEYS.draft(draft.studioId), draft);
}

export function clearDraft(store: KeyValueStore, studioId: string): void {
  store.remove(STORAGE_KEYS.draft(studioId));
}

/** The first problem that keeps the draft from being sent, in words for the resident; null when it can go. */
export function draftProblem(draft: TicketDraft): string | null {
  const length = [...draft.content.trim()].length;
  if (length < TICKET_CONTENT_MIN) return `请至少填写 ${TICKET_CONTENT_MIN} 个字，把问题说清楚`;
  if (length > TICKET_CONTENT_MAX) return `内容不能超过 ${TICKET_CONTENT_MAX} 字`;
  if (draft.images.length > MAX_TICKET_IMAGES) return `最多上传 ${MAX_TICKET_IMAGES} 张图片`;
  if (draft.contactPhone && !new RegExp(MOBILE_PATTERN).test(draft.contactPhone)) return '请填写正确的 11 位手机号';
  if (draft.contactName.trim().length > 20) return '称呼不能超过 20 个字';
  if (!draft.consent) return '请先阅读并同意《隐私说明》';
  return null;
}

export function submitBodyOf(draft: TicketDraft): SubmitTicketBody {
  const body: SubmitTicketBody = { studioId: draft.studioId, category: draft.category, content: draft.content.trim() };
  if (draft.images.length) body.images = draft.images.map((image) => image.id);
  if (draft.contactPhone) {
    body.contactPhone = draft.contactPhone;
    body.allowContact = draft.allowContact;
  }
  if (draft.contactName.trim()) body.contactName = draft.contactName.trim();
  if (draft.anonymous) body.anonymous = true;
  return body;
}
