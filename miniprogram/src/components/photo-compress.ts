import Taro from '@tarojs/taro';
import { UPLOAD_MAX_BYTES } from '@mashangshang/shared';

/**
 * Photos are made small enough on the phone, before they are sent: a 10 MB camera photo would
 * otherwise upload in full (slowly, on a phone's data plan) only for the server to refuse it.
 * WeChat: Taro.compressImage; H5: drawn on a canvas and encoded as JPEG.
 */

/** A photo as the picker handed it over. */
export interface ChosenPhoto {
  path: string;
  size: number;
  /** H5: the file itself, to draw on a canvas. */
  file?: Blob;
}

/**
 * The resident picks photos: WeChat's picker, or in H5 the browser's own. (Taro's H5 chooseImage
 * silently drops a photo the browser cannot draw, such as HEIC, so the resident would see nothing
 * happen; here such a photo is still handed over, to be sent as it is or refused with its size.)
 * Resolves to null when the resident cancels.
 */
export async function choosePhotos(room: number): Promise<ChosenPhoto[] | null> {
  if (process.env.TARO_ENV !== 'h5') {
    try {
      const chosen = await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
      return chosen.tempFilePaths.slice(0, room).map((path, i) => ({ path, size: chosen.tempFiles[i]?.size ?? 0 }));
    } catch {
      return null;
    }
  }
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'image/*';
  input.multiple = room > 1;
  input.style.display = 'none';
  document.body.appendChild(input);
  try {
    const files = await new Promise<File[]>((resolve) => {
      input.addEventListener('change', () => resolve([...(input.files ?? [])]));
      input.addEventListener('cancel', () => resolve([]));
      input.click();
    });
    if (!files.length) return null;
    return files.slice(0, room).map((file) => ({ path: URL.createObjectURL(file), size: file.size, file }));
  } finally {
    input.remove();
  }
}

export type PreparedPhoto = { ok: true; path: string; size: number } | { ok: false; message: string };

// Room for the multipart envelope around the file.
const TARGET_BYTES = UPLOAD_MAX_BYTES - 64 * 1024;
// Smaller photos go as they are: re-encoding them would only lose detail.
const COMPRESS_ABOVE_BYTES = 1024 * 1024;
// Long side after compression: plenty to read a sign or see a crack in a wall.
const MAX_SIDE_PX = 2560;
const QUALITIES = [0.82, 0.68, 0.52];

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const UPLOAD_LIMIT_TEXT = `${UPLOAD_MAX_BYTES / 1024 / 1024} MB`;

/** Why a photo is refused before anything is sent. */
function tooLargeMessage(bytes: number): string {
  return `这张照片有 ${megabytes(bytes)}，压缩后仍超过 ${UPLOAD_LIMIT_TEXT}，无法上传。请换一张照片，或截图后再选。`;
}

function scaledSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** H5: the photo drawn at most MAX_SIDE_PX long and encoded as JPEG, smaller each try; null when the browser cannot read it. */
async function compressOnCanvas(file: Blob): Promise<Blob | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null; // a format this browser cannot draw (HEIC on most of them)
  }
  try {
    let smallest: Blob | null = null;
    // A second, smaller size when even the lowest quality is too large (a photo of fine detail).
    for (const maxSide of [MAX_SIDE_PX, MAX_SIDE_PX * 0.7]) {
      const { width, height } = scaledSize(bitmap.width, bitmap.height, maxSide);
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) return null;
      context.fillStyle = '#fff'; // JPEG has no transparency: white, not black, behind a PNG's clear parts
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0, width, height);
      for (const quality of QUALITIES) {
        const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
        if (!blob) continue;
        if (!smallest || blob.size < smallest.size) smallest = blob;
        if (blob.size <= TARGET_BYTES) return blob;
      }
    }
    return smallest;
  } finally {
    bitmap.close();
  }
}

/** WeChat: compressImage at lower quality until it fits; null when WeChat could not compress it. */
async function compressInWeChat(path: string): Promise<{ path: string; size: number } | null> {
  try {
    const info = await Taro.getImageInfo({ src: path });
    const long = Math.max(info.width, info.height);
    const resize =
      long > MAX_SIDE_PX
        ? info.width >= info.height
          ? { compressedWidth: MAX_SIDE_PX }
          : { compressedHeight: MAX_SIDE_PX }
        : {};
    let smallest: { path: string; size: number } | null = null;
    for (const quality of QUALITIES) {
      const { tempFilePath } = await Taro.compressImage({ src: path, quality: Math.round(quality * 100), ...resize });
      const { size } = (await Taro.getFileInfo({ filePath: tempFilePath })) as { size: number };
      if (!smallest || size < smallest.size) smallest = { path: tempFilePath, size };
      if (size <= TARGET_BYTES) return smallest;
    }
    return smallest;
  } catch {
    return null;
  }
}

/**
 * A chosen photo made ready to send: as it is when small, else compressed; refused (with the words
 * to show) when even compressed it would exceed the server's limit.
 */
export async function preparePhoto(photo: ChosenPhoto): Promise<PreparedPhoto> {
  if (photo.size <= COMPRESS_ABOVE_BYTES) return { ok: true, path: photo.path, size: photo.size };
  if (process.env.TARO_ENV === 'h5') {
    const blob = photo.file ? await compressOnCanvas(photo.file) : null;
    if (blob && blob.size < photo.size && blob.size <= TARGET_BYTES) {
      return { ok: true, path: URL.createObjectURL(blob), size: blob.size };
    }
  } else {
    const compressed = await compressInWeChat(photo.path);
    if (compressed && compressed.size <= TARGET_BYTES) return { ok: true, ...compressed };
  }
  // Not made smaller: the original goes only if the server will take it.
  if (photo.size <= UPLOAD_MAX_BYTES) return { ok: true, path: photo.path, size: photo.size };
  return { ok: false, message: tooLargeMessage(photo.size) };
}
