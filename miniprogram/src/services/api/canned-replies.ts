import type { CannedReply, CannedReplyCreateBody, CannedReplyList, CannedReplyPatchBody } from '@mashangshang/shared';
import { http } from '../http';

/** 常用回复: the office's and a studio's, most used first; kept by admins and a studio's lead members. */
export const cannedReplyApi = {
  /** Without a studio: the office-wide replies only; with one: its own and the office-wide ones. */
  cannedReplies: (studioId?: string): Promise<CannedReplyList> =>
    http.json('CannedReplyList', 'GET', '/canned-replies', { query: { studioId } }),
  createCannedReply: (body: CannedReplyCreateBody): Promise<CannedReply> =>
    http.json('CannedReply', 'POST', '/canned-replies', { body }),
  updateCannedReply: (id: string, body: CannedReplyPatchBody): Promise<CannedReply> =>
    http.json('CannedReply', 'PATCH', `/canned-replies/${id}`, { body }),
  deleteCannedReply: async (id: string): Promise<void> => {
    await http.json('NoContent', 'DELETE', `/canned-replies/${id}`);
  },
  /** Counted when a member inserts it into a reply; silent: a count lost is no reason to bother them. */
  countCannedReplyUse: (id: string): Promise<CannedReply> =>
    http.json('CannedReply', 'POST', `/canned-replies/${id}/uses`, { body: {}, silent: true }),
};
