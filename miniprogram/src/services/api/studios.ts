import type {
  StudioDetail,
  StudioList,
  StudioListQuery,
  StudioStatsQuery,
  StudioStatsResponse,
} from '@mashangshang/shared';
import { http } from '../http';

/** What residents browse, and a studio's own figures for its members. */
export const studioApi = {
  studios: (query: StudioListQuery): Promise<StudioList> => http.json('StudioList', 'GET', '/studios', { query }),
  // `silent`: no toast, for the studio page, which says what went wrong itself in place of the page.
  studio: (id: string, silent = false): Promise<StudioDetail> =>
    http.json('StudioDetail', 'GET', `/studios/${encodeURIComponent(id)}`, { silent }),
  studioByScene: (scene: string): Promise<StudioDetail> =>
    http.json('StudioDetail', 'GET', `/studios/by-scene/${encodeURIComponent(scene)}`),
  studioStats: (studioId: string, query: StudioStatsQuery): Promise<StudioStatsResponse> =>
    http.json('StudioStatsResponse', 'GET', `/studios/${encodeURIComponent(studioId)}/stats`, { query }),
};
