import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  StudioDetail,
  StudioList,
  StudioListQuery,
  StudioSceneParams,
  errorResponses,
} from '@mashangshang/shared';
import { getStudio, getStudioByScene, listStudios } from './service';

/** Public reads: anyone who scanned a code may see a studio, signed in or not. */
const studioRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/studios',
    {
      schema: {
        operationId: 'listStudios',
        tags: ['studios'],
        summary: '委员工作室列表（可按镇街、界别筛选，按名称搜索）',
        security: [],
        querystring: StudioListQuery,
        response: { 200: StudioList, ...errorResponses(400, 503) },
      },
    },
    async (request) => listStudios(app.models, request.query),
  );

  app.get(
    '/studios/:id',
    {
      schema: {
        operationId: 'getStudio',
        tags: ['studios'],
        summary: '委员工作室详情',
        security: [],
        params: IdParams,
        response: { 200: StudioDetail, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => getStudio(app.models, request.params.id),
  );

  app.get(
    '/studios/by-scene/:scene',
    {
      schema: {
        operationId: 'getStudioByScene',
        tags: ['studios'],
        summary: '按小程序码中的 scene 查找工作室',
        security: [],
        params: StudioSceneParams,
        response: { 200: StudioDetail, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => getStudioByScene(app.models, request.params.scene),
  );
};

export default studioRoutes;
