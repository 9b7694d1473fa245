import {
  UPLOAD_FILE_FIELD,
  type ImageCheckDecisionBody,
  type ImageCheckResponse,
  type UploadResponse,
} from '@mashangshang/shared';
import { http } from '../http';

/** Photos: a resident's upload, and an admin's decision on one WeChat's image check held back. */
export const uploadApi = {
  /** One image to POST /uploads, with progress; silent, for the page says which photo failed. */
  upload: (filePath: string, onProgress?: (percent: number) => void): Promise<UploadResponse> =>
    http.upload('UploadResponse', '/uploads', filePath, { field: UPLOAD_FILE_FIELD, onProgress, silent: true }),
  decideImageCheck: (uploadId: string, body: ImageCheckDecisionBody): Promise<ImageCheckResponse> =>
    http.json('ImageCheckResponse', 'POST', `/admin/uploads/${uploadId}/check`, { body }),
};
