import Taro from '@tarojs/taro';
import { isH5 } from '../platform';
import type { DownloadResponse, Transport } from './core';

/** The body of an upload's answer: WeChat hands it over as text. */
function parsedBody(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    return text; // not JSON: keep the text for the error message
  }
}

/** H5 downloads with fetch: unlike Taro.downloadFile it lets the error's JSON body be read. */
async function fetchFile(url: string, header: Record<string, string>): Promise<DownloadResponse> {
  const response = await fetch(url, { headers: header });
  if (!response.ok) {
    const data: unknown = await response.json().catch(() => undefined);
    return { statusCode: response.status, filePath: '', data };
  }
  return { statusCode: response.status, filePath: URL.createObjectURL(await response.blob()), data: undefined };
}

/** The core's transport on Taro: wx.request / uploadFile / downloadFile in WeChat, their H5 versions. */
export const taroTransport: Transport = {
  async request({ url, method, header, data }) {
    const response = await Taro.request({ url, method, data, header, dataType: 'json', timeout: 15_000 });
    const body: unknown = response.data;
    return { statusCode: response.statusCode, data: body };
  },

  async upload({ url, filePath, field, header, onProgress }) {
    const task = Taro.uploadFile({ url, filePath, name: field, header });
    if (onProgress) task.progress((event) => onProgress(event.progress));
    const result = await task;
    return { statusCode: result.statusCode, data: parsedBody(result.data) };
  },

  async download({ url, header }) {
    if (isH5) return fetchFile(url, header);
    const result = await Taro.downloadFile({ url, header });
    return { statusCode: result.statusCode, filePath: result.tempFilePath, data: undefined };
  },
};
