import { randomBytes } from 'node:crypto';
import { eventually, startTestStack, type TestStack } from './helpers/app';
import { idempotencyKey, signInAdmin, signInMember, signInResident, type Caller } from './helpers/actors';
import { uploadPng } from './helpers/uploads';
import { seedDemoData } from '../src/seed/seed';
import { DEV_PUSH_TOKEN } from '../src/config';
import { pushSignature, recheckPendingMedia } from '../src/modules/media-check/service';
import { FAKE_REVIEW_IMAGE_MARK, FAKE_RISKY_IMAGE_MARK } from '../src/wechat/fake/server';

interface ImageView {
  id: string;
  url: string;
  check?: string;
}

/**
 * Residents' photos go through WeChat's image check (mediaCheckAsync): the verdict arrives later by
 * message push, and until it is a pass only the resident and admins see the photo.
 */
describe("WeChat's image check", () => {
  let stack: TestStack;
  let admin: Caller;
  let member: Caller & { memberId: string };
  let studioId: string;

  beforeAll(async () => {
    // The fake holds its verdicts until the test releases them, so the waiting state can be seen.
    stack = await startTestStack({
      FAKE_MEDIA_CHECK_DELAY_MS: 'manual',
      MEDIA_CHECK_RETRY_AFTER_SECONDS: '1',
      MEDIA_CHECK_ATTEMPTS: '2',
    });
    await seedDemoData(stack.app.models);
    admin = await signInAdmin(stack.app);
    const studio = await stack.app.models.Studio.findOne({ code: 'hnyw' }).lean();
    studioId = String(studio!._id);
    const first = await stack.app.models.Member.findOne({ studioIds: studio!._id }).sort({ _id: 1 }).lean();
    member = await signInMember(stack.app, admin, String(first!._id), 'media-member');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (caller: Caller, url: string) => stack.app.inject({ method: 'GET', url, headers: caller.headers });
  const images = async (caller: Caller, ticketId: string) =>
    ((await get(caller, `/api/v1/tickets/${ticketId}`)).json() as { images: ImageView[] }).images;
  const checkOf = async (uploadId: string) => (await stack.app.models.MediaCheck.findById(uploadId).lean())?.state;
  const submitWith = async (resident: Caller, imageIds: string[]) => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...resident.headers, 'idempotency-key': idempotencyKey() },
      payload: {
        studioId,
        category: 'help',
        content: '小区健身器材损坏，照片见附件，请帮忙协调维修。',
        images: imageIds,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const deps = () => ({
    models: stack.app.models,
    redis: stack.app.redis,
    queues: stack.app.queues,
    wechat: stack.app.wechat,
    config: stack.app.config,
    log: stack.app.log,
  });

  it('shows members only the photos WeChat passed, tells staff on the timeline, and keeps every photo for the resident and admins', async () => {
    const resident = await signInResident(stack.app, 'media-resident');
    const clean = await uploadPng(stack.app, resident, 'clean');
    const risky = await uploadPng(stack.app, resident, 'risky', FAKE_RISKY_IMAGE_MARK);
    const doubtful = await uploadPng(stack.app, resident, 'doubtful', FAKE_REVIEW_IMAGE_MARK);
    const ticketId = await submitWith(resident, [clean.id, risky.id, doubtful.id]);

    // Before any verdict: the member sees no photo at all, the resident sees all three as being checked.
    expect(await images(member, ticketId)).toEqual([]);
    expect((await images(resident, ticketId)).map((i) => i.check)).toEqual(['pending', 'pending', 'pending']);
    expect((await get(member, `/api/v1/uploads/${clean.id}`)).statusCode).toBe(404);

    const released = (await (
      await fetch(`${stack.wechatUrl}/__fake/media-checks/release`, { method: 'POST' })
    ).json()) as { released: number };
    expect(released.released).toBe(3);
    await eventually(
      async () =>
        (await checkOf(clean.id)) === 'pass' &&
        (await checkOf(risky.id)) === 'risky' &&
        (await checkOf(doubtful.id)) === 'review',
    );

    const seenByMember = await images(member, ticketId);
    expect(seenByMember.map((i) => i.id)).toEqual([clean.id]);
    expect(seenByMember[0]!.check).toBeUndefined();
    const photo = await stack.app.inject({ method: 'GET', url: seenByMember[0]!.url });
    expect(photo.statusCode).toBe(200);
    expect(photo.rawPayload.equals(clean.bytes)).toBe(true);
    expect((await get(member, `/api/v1/uploads/${risky.id}`)).statusCode).toBe(404);
    expect((await get(member, `/api/v1/uploads/${clean.id}`)).statusCode).toBe(200);

    expect((await images(resident, ticketId)).map((i) => [i.id, i.check ?? 'pass'])).toEqual([
      [clean.id, 'pass'],
      [risky.id, 'risky'],
      [doubtful.id, 'review'],
    ]);
    expect((await images(admin, ticketId)).map((i) => i.check ?? 'pass')).toEqual(['pass', 'risky', 'review']);
    expect((await get(admin, `/api/v1/uploads/${risky.id}`)).statusCode).toBe(200);

    // An admin judges the doubtful photo fit and the clean one not: members follow the admin's verdict.
    const decide = (uploadId: string, verdict: string) =>
      stack.app.inject({
        method: 'POST',
        url: `/api/v1/admin/uploads/${uploadId}/check`,
        headers: admin.headers,
        payload: { verdict },
      });
    expect((await decide(doubtful.id, 'pass')).json()).toEqual({ id: doubtful.id, check: 'pass' });
    expect((await decide(clean.id, 'risky')).json()).toEqual({ id: clean.id, check: 'risky' });
    expect((await images(member, ticketId)).map((i) => i.id)).toEqual([doubtful.id]);
    expect((await get(member, `/api/v1/uploads/${clean.id}`)).statusCode).toBe(404);
    expect(
      (
        await stack.app.inject({
          method: 'POST',
          url: `/api/v1/admin/uploads/${doubtful.id}/check`,
          headers: member.headers,
          payload: { verdict: 'pass' },
        })
      ).statusCode,
    ).toBe(403);

    // Staff see why photos are missing; the resident's timeline does not show moderation.
    const memberTimeline = (
      (await get(member, `/api/v1/tickets/${ticketId}`)).json() as { timeline: { type: string; content?: string }[] }
    ).timeline;
    const flags = memberTimeline.filter((e) => e.type === 'flagged').map((e) => e.content);
    expect(flags).toEqual(
      expect.arrayContaining([expect.stringContaining('未通过内容安全检测'), expect.stringContaining('待人工复核')]),
    );
    expect(memberTimeline.filter((e) => e.type === 'moderated').map((e) => e.content)).toEqual([
      '图片经人工复核可以展示',
      '图片经人工复核不予展示',
    ]);
    const residentTimeline = (
      (await get(resident, `/api/v1/tickets/${ticketId}`)).json() as { timeline: { type: string }[] }
    ).timeline;
    expect(residentTimeline.some((e) => e.type === 'flagged')).toBe(false);

    // The fake WeChat fetched each photo through its signed URL and got "success" back for every verdict.
    const pushes = (await (await fetch(`${stack.wechatUrl}/__fake/pushes`)).json()) as {
      suggest: string;
      status: number;
    }[];
    expect(
      pushes
        .filter((p) => p.status === 200)
        .map((p) => p.suggest)
        .sort(),
    ).toEqual(expect.arrayContaining(['pass', 'review', 'risky']));
  });

  it('asks again when WeChat could not be asked, and sends a photo nobody judged to manual review', async () => {
    const resident = await signInResident(stack.app, 'media-resident-2');
    // WeChat is down for the first ask of each of the two uploads.
    await fetch(`${stack.wechatUrl}/__fake/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/wxa/media_check_async', mode: 'http500', times: 2 }),
    });
    const retried = await uploadPng(stack.app, resident, 'retried');
    await eventually(
      async () => ((await stack.app.models.MediaCheck.findById(retried.id).lean())?.attempts ?? 0) === 1,
    );
    const lost = await uploadPng(stack.app, resident, 'lost');
    await eventually(async () => ((await stack.app.models.MediaCheck.findById(lost.id).lean())?.attempts ?? 0) === 1);
    expect(await checkOf(retried.id)).toBe('pending');

    // The sweeper (run here a minute "later") asks again about the first; WeChat answers now and its
    // verdict arrives. The second has been asked about as often as allowed (as if every verdict were
    // lost): a person judges it.
    await stack.app.models.MediaCheck.updateOne({ _id: lost.id }, { $set: { attempts: 2 } });
    const swept = await recheckPendingMedia(deps(), Date.now() + 60_000);
    expect(swept).toEqual({ asked: 1, toReview: 1 });
    expect(await checkOf(lost.id)).toBe('review');
    await fetch(`${stack.wechatUrl}/__fake/media-checks/release`, { method: 'POST' });
    await eventually(async () => (await checkOf(retried.id)) === 'pass');
  });

  it("answers WeChat's URL check and refuses pushes that are unsigned, replayed or late, without changing any photo", async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const query = new URLSearchParams({
      signature: pushSignature(DEV_PUSH_TOKEN, timestamp, nonce),
      timestamp,
      nonce,
    }).toString();
    const echo = await stack.app.inject({ method: 'GET', url: `/api/v1/wechat/push?${query}&echostr=hello2026` });
    expect(echo.statusCode).toBe(200);
    expect(echo.body).toBe('hello2026');

    // A forged verdict for a real pending photo: first with a valid signature (accepted once), then replayed.
    const resident = await signInResident(stack.app, 'media-resident-3');
    await fetch(`${stack.wechatUrl}/__fake/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/wxa/media_check_async', mode: 'errcode', errcode: 45009, times: 1 }),
    });
    const photo = await uploadPng(stack.app, resident, 'forged');
    await eventually(async () => ((await stack.app.models.MediaCheck.findById(photo.id).lean())?.attempts ?? 0) === 1);
    const body = {
      MsgType: 'event',
      Event: 'wxa_media_check',
      trace_id: 'made-up-trace',
      errcode: 0,
      result: { suggest: 'pass' },
    };
    const first = await stack.app.inject({ method: 'POST', url: `/api/v1/wechat/push?${query}`, payload: body });
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe('success');
    const replay = await stack.app.inject({ method: 'POST', url: `/api/v1/wechat/push?${query}`, payload: body });
    expect(replay.statusCode).toBe(403);
    expect(replay.json().code).toBe('PUSH_SIGNATURE_INVALID');
    const lateTs = String(Math.floor(Date.now() / 1000) - 3600);
    const late = await stack.app.inject({
      method: 'POST',
      url: `/api/v1/wechat/push?${new URLSearchParams({ signature: pushSignature(DEV_PUSH_TOKEN, lateTs, 'n1'), timestamp: lateTs, nonce: 'n1' })}`,
      payload: body,
    });
    expect(late.statusCode).toBe(403);
    // An unknown trace id changes nothing: the photo is still waiting for its own verdict.
    expect(await checkOf(photo.id)).toBe('pending');
    expect((await get(member, `/api/v1/uploads/${photo.id}`)).statusCode).toBe(404);
  });
});
