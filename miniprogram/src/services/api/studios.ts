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
  studios: (query: StudioListQuery, silent = false): Promise<StudioList> =>
    http.json('StudioList', 'GET', '/studios', { query, silent }),
  // `silent`: no toast, for the studio page, which says what went wrong itself in place of the page.
  studio: (id: string, silent = false): Promise<StudioDetail> =>
    http.json('StudioDetail', 'GET', `/studios/${encodeURIComponent(id)}`, { silent }),
  // `silent`: the home page says in place of the list that the code cannot be opened.
  studioByScene: (scene: string, silent = false): Promise<StudioDetail> =>
    http.json('StudioDetail', 'GET', `/studios/by-scene/${encodeURIComponent(scene)}`, { silent }),
  studioStats: (studioId: string, query: StudioStatsQuery): Promise<StudioStatsResponse> =>
    http.json('StudioStatsResponse', 'GET', `/studios/${encodeURIComponent(studioId)}/stats`, { query }),
};
