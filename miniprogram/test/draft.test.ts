import { clearDraft, draftProblem, loadDraft, saveDraft, submitBodyOf } from '../src/services/draft';
import { demoCode, readSession, writeSession } from '../src/services/session';
import { memoryStore } from '../src/services/store';

const studioId = '0123456789abcdef01234567';

describe('ticket draft', () => {
  it('keeps the same Idempotency-Key across reloads until the ticket is sent', () => {
    const store = memoryStore();
    const draft = loadDraft(store, studioId);
    expect(draft.idempotencyKey).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);
    saveDraft(store, { ...draft, content: '路灯坏了三天了' });
    const again = loadDraft(store, studioId);
    expect(again.idempotencyKey).toBe(draft.idempotencyKey);
    expect(again.content).toBe('路灯坏了三天了');
    clearDraft(store, studioId);
    expect(loadDraft(store, studioId).idempotencyKey).not.toBe(draft.idempotencyKey);
  });

  it('says in Chinese what keeps a draft from being sent', () => {
    const draft = { ...loadDraft(memoryStore(), studioId), content: '太短', consent: true };
    expect(draftProblem(draft)).toContain('至少填写 5 个字');
    expect(draftProblem({ ...draft, content: '小区门口路灯坏了', contactPhone: '12345' })).toContain('手机号');
    expect(draftProblem({ ...draft, content: '小区门口路灯坏了', consent: false })).toContain('隐私说明');
    expect(draftProblem({ ...draft, content: '小区门口路灯坏了' })).toBeNull();
  });

  it('sends only what the resident filled in', () => {
    const draft = {
      ...loadDraft(memoryStore(), studioId),
      content: '  小区门口路灯坏了  ',
      images: [{ id: 'a'.repeat(24), url: '/u' }],
      anonymous: true,
      consent: true,
    };
    expect(submitBodyOf(draft)).toEqual({
      studioId,
      category: 'consult',
      content: '小区门口路灯坏了',
      images: ['a'.repeat(24)],
      anonymous: true,
    });
    expect(
      submitBodyOf({ ...draft, images: [], anonymous: false, contactPhone: '13800001111', allowContact: true }),
    ).toEqual({
      studioId,
      category: 'consult',
      content: '小区门口路灯坏了',
      contactPhone: '13800001111',
      allowContact: true,
    });
  });
});

describe('session', () => {
  it('stores the session and keeps one demo code per device', () => {
    const store = memoryStore();
    expect(readSession(store)).toBeNull();
    writeSession(store, { token: 't', user: { id: 'u'.repeat(24), role: 'resident', studioIds: [] } }, 'demo');
    expect(readSession(store)?.method).toBe('demo');
    const code = demoCode(store);
    expect(code).toMatch(/^demo-/);
    expect(demoCode(store)).toBe(code);
  });
});
