import type { FastifyPluginAsync } from 'fastify';
import studioCodeRoutes from './qrcodes/routes';
import statsRoutes from './stats/routes';
import outcomeRoutes from './outcomes/routes';
import starRoutes from './stars/routes';
import followUpRoutes from './followups/routes';
import infoRequestRoutes from './info-requests/routes';
import projectRoutes from './projects/routes';
import posterRoutes from './posters/routes';

/**
 * The routes the CPPCC office runs the programme with: studio codes, statistics and exports,
 * 三转 records, star ratings, 回头看 follow-ups, 待补充 information requests, service items and duty projects.
 * Registered under /api/v1 by app.ts.
 */
const operationsRoutes: FastifyPluginAsync = async (api) => {
  await api.register(studioCodeRoutes);
  await api.register(statsRoutes);
  await api.register(outcomeRoutes);
  await api.register(starRoutes);
  await api.register(followUpRoutes);
  await api.register(infoRequestRoutes);
  await api.register(projectRoutes);
  await api.register(posterRoutes);
};

export default operationsRoutes;
