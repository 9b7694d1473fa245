import Taro from '@tarojs/taro';
import { toastTextFor } from '../errors';
import { ApiError, http } from '../http';
import { isH5, saveInBrowser, showToast } from '../platform';

/**
 * Downloads an admin-only file (QR code, poster) and opens it: saved as `filename` in H5,
 * the image preview or document viewer in WeChat.
 */
export async function openAdminFile(path: string, kind: 'image' | 'pdf', filename: string): Promise<void> {
  try {
    const filePath = await http.download(path);
    if (isH5) saveInBrowser(filePath, filename);
    else if (kind === 'image') await Taro.previewImage({ urls: [filePath] });
    else await Taro.openDocument({ filePath, fileType: 'pdf', showMenu: true });
  } catch (error) {
    // The client has toasted a failed download; WeChat failing to open the file is said here.
    if (!(error instanceof ApiError)) showToast(toastTextFor({ networkError: true }));
  }
}
