import type {
  AssignBody,
  InfoRequestBody,
  InfoSupplyBody,
  RatingBody,
  ReopenBody,
  ReplyBody,
  ResolveBody,
  SubmitTicketBody,
  SubmitTicketResponse,
  TicketDetail,
  TicketList,
  TicketListQuery,
} from '@mashangshang/shared';
import { http } from '../http';

/** Tickets: the resident's message, the lists, and the actions, each answering with the ticket as it now is. */
export const ticketApi = {
  submitTicket: (body: SubmitTicketBody, idempotencyKey: string): Promise<SubmitTicketResponse> =>
    http.json('SubmitTicketResponse', 'POST', '/tickets', {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      silent: true,
      networkRetries: 2,
    }),
  tickets: (query: TicketListQuery, silent = false): Promise<TicketList> =>
    http.json('TicketList', 'GET', '/tickets', { query, silent }),
  // `silent`: the ticket page shows what went wrong in place of the ticket.
  ticket: (id: string, silent = false): Promise<TicketDetail> =>
    http.json('TicketDetail', 'GET', `/tickets/${id}`, { silent }),
  /** With the draft's Idempotency-Key, so a resend after a lost answer adds the reply once. */
  reply: (id: string, body: ReplyBody, idempotencyKey: string): Promise<TicketDetail> =>
    http.json('TicketDetail', 'POST', `/tickets/${id}/replies`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      networkRetries: 2,
    }),
  assign: (id: string, body: AssignBody): Promise<TicketDetail> =>
    http.json('TicketDetail', 'POST', `/tickets/${id}/assign`, { body }),
  resolve: (id: string, body: ResolveBody): Promise<TicketDetail> =>
    http.json('TicketDetail', 'POST', `/tickets/${id}/resolve`, { body }),
  rate: (id: string, body: RatingBody): Promise<TicketDetail> =>
    http.json('TicketDetail', 'POST', `/tickets/${id}/rating`, { body }),
  reopen: (id: string, body: ReopenBody): Promise<TicketDetail> =>
    http.json('TicketDetail', 'POST', `/tickets/${id}/reopen`, { body }),
  /** 待补充: a member asks the resident for more information (the clock paused). */
  requestInfo: (id: string, body: InfoRequestBody): Promise<TicketDetail> =>
    http.json('TicketDetail', 'POST', `/tickets/${id}/info-request`, { body }),
  /** The resident's answer (the clock runs again). */
  supplyInfo: (id: string, body: InfoSupplyBody): Promise<TicketDetail> =>
    http.json('TicketDetail', 'POST', `/tickets/${id}/info`, { body }),
};
