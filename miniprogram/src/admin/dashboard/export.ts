import Taro from '@tarojs/taro';
import type { ExportFormat, StatsQuery } from '@mashangshang/shared';
import { http } from '../../services/http';
import { isH5, saveInBrowser, showToast } from '../../services/platform';

/**
 * Downloads the statistics export through the API client (a plain link cannot carry the token):
 * H5 saves the file, weapp opens it (XLSX) or shares it (CSV, which WeChat cannot preview).
 */
export async function downloadStatsExport(format: ExportFormat, query: StatsQuery): Promise<void> {
  const fileName = `统计-${query.from ?? ''}-${query.to ?? ''}.${format}`;
  let filePath: string;
  try {
    filePath = await http.download('/admin/stats/export', { query: { ...query, format } });
  } catch {
    return; // toast already shown by the API client
  }
  if (isH5) return saveInBrowser(filePath, fileName);
  try {
    if (format === 'xlsx') await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true });
    else await Taro.shareFileMessage({ filePath, fileName });
  } catch {
    showToast('导出失败，请稍后重试');
  }
}
