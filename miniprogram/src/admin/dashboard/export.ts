import Taro from '@tarojs/taro';
import type { ExportFormat, StatsQuery } from '@mashangshang/shared';
import { apiRoot, currentSession, showToast } from '../../services/api';
import { queryString } from '../../services/client';
import { toastTextFor } from '../../services/errors';

/**
 * Downloads the statistics export with the admin's token. A plain link cannot carry the token, so
 * H5 fetches the file and saves it; weapp downloads it and opens it (XLSX) or shares it (CSV, which
 * WeChat cannot preview).
 */
export async function downloadStatsExport(format: ExportFormat, query: StatsQuery): Promise<void> {
  const url = `${apiRoot}/admin/stats/export${queryString({ ...query, format })}`;
  const header = { Authorization: `Bearer ${currentSession()?.token ?? ''}` };
  const fileName = `统计-${query.from ?? ''}-${query.to ?? ''}.${format}`;
  if (process.env.TARO_ENV === 'h5') {
    let response: Response;
    try {
      response = await fetch(url, { headers: header });
    } catch {
      return showToast(toastTextFor({ networkError: true }));
    }
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => undefined);
      return showToast(toastTextFor({ statusCode: response.status, body }));
    }
    const href = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = href;
    link.download = fileName;
    link.className = 'export-link';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    return;
  }
  try {
    const result = await Taro.downloadFile({ url, header });
    if (result.statusCode !== 200) return showToast(toastTextFor({ statusCode: result.statusCode }));
    if (format === 'xlsx') await Taro.openDocument({ filePath: result.tempFilePath, fileType: 'xlsx', showMenu: true });
    else await Taro.shareFileMessage({ filePath: result.tempFilePath, fileName });
  } catch {
    showToast('导出失败，请稍后重试');
  }
}
