import fs from 'node:fs';
import path from 'node:path';
import { GlobalFonts, PDFDocument, createCanvas, loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';

/** What a poster is drawn with: the raster canvas and the PDF page offer the same calls. */
type Ctx = Pick<
  SKRSContext2D,
  'fillRect' | 'fillText' | 'measureText' | 'font' | 'fillStyle' | 'textAlign' | 'textBaseline'
> & {
  drawImage(image: Image, x: number, y: number, width: number, height: number): void;
};
import { AppError } from '../../errors';

/** What a studio's poster shows. */
export interface PosterData {
  code: string;
  name: string;
  /** 镇街委员集体工作室 / 界别委员工作室, with the town or sector. */
  subtitle: string;
  address: string;
  members: { name: string; title: string }[];
  serviceItems: string[];
  /** The studio's mini-program code (PNG). */
  code_png: Buffer;
}

/** A4 in PDF points; the PNG is the same page at 150 dpi (1240 × 1754 pixels), for WeChat groups. */
const A4 = { width: 595.28, height: 841.89 };
const PNG_WIDTH = 1240;

const RED = '#b3261e';
const INK = '#222222';
const GREY = '#666666';
const FAMILY = 'PosterSans';

/** Fonts with Chinese glyphs, in order of preference (Debian: fonts-noto-cjk, fonts-wqy-microhei). */
const FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
];

const registered = new Set<string>();

/**
 * Registers the poster font (once per process and file): POSTER_FONT_PATH, else the first CJK font
 * found. Without one the text would come out as boxes, so posters are refused instead.
 */
export function ensurePosterFont(configured: string | null): string {
  const candidates = configured ? [configured] : FONT_CANDIDATES;
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) {
    throw new AppError('POSTER_FONT_MISSING', {
      logMessage: `no CJK font at ${candidates.join(', ')}: install fonts-noto-cjk (npm run setup does) or set POSTER_FONT_PATH`,
    });
  }
  if (registered.has(found)) return found;
  GlobalFonts.registerFromPath(found, FAMILY);
  // The bold cut beside it, when there is one (Noto: NotoSansCJK-Bold.ttc).
  const bold = path.join(path.dirname(found), path.basename(found).replace('Regular', 'Bold'));
  if (bold !== found && fs.existsSync(bold)) GlobalFonts.registerFromPath(bold, `${FAMILY} Bold`);
  registered.add(found);
  return found;
}

const font = (size: number, bold = false) =>
  `${size}px "${bold && GlobalFonts.has(`${FAMILY} Bold`) ? `${FAMILY} Bold` : FAMILY}"`;

/** Lines of `text` that fit `width` at the current font, at most `maxLines` (the last one cut with …). */
function wrap(ctx: Ctx, text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const char of [...text]) {
    if (ctx.measureText(line + char).width > width && line) {
      lines.push(line);
      line = char;
      if (lines.length === maxLines) break;
    } else {
      line += char;
    }
  }
  if (lines.length < maxLines && line) lines.push(line);
  const consumed = lines.join('').length;
  if (consumed < [...text].length && lines.length > 0) {
    let last = lines[lines.length - 1]!;
    while (last && ctx.measureText(`${last}…`).width > width) last = [...last].slice(0, -1).join('');
    lines[lines.length - 1] = `${last}…`;
  }
  return lines;
}

function text(
  ctx: Ctx,
  value: string,
  x: number,
  y: number,
  options: {
    size: number;
    color: string;
    bold?: boolean;
    align?: 'left' | 'center';
    width?: number;
    maxLines?: number;
    lineHeight?: number;
  },
): number {
  ctx.font = font(options.size, options.bold);
  ctx.fillStyle = options.color;
  ctx.textAlign = options.align ?? 'left';
  ctx.textBaseline = 'top';
  const lines = options.width ? wrap(ctx, value, options.width, options.maxLines ?? 1) : [value];
  const lineHeight = options.lineHeight ?? options.size * 1.35;
  lines.forEach((line, i) => ctx.fillText(line, x, y + i * lineHeight));
  return y + lines.length * lineHeight;
}

/** One poster on an A4 page, in points: the same drawing serves the PDF page and the PNG. */
function drawPoster(ctx: Ctx, poster: PosterData, code: Image): void {
  const { width, height } = A4;
  const margin = 42;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  // Header: the studio.
  ctx.fillStyle = RED;
  ctx.fillRect(0, 0, width, 168);
  text(ctx, '政协委员工作室 · 码上商', width / 2, 26, { size: 15, color: '#ffe9e6', align: 'center' });
  const after = text(ctx, poster.name, width / 2, 54, {
    size: 30,
    color: '#ffffff',
    bold: true,
    align: 'center',
    width: width - 2 * margin,
    maxLines: 2,
    lineHeight: 40,
  });
  text(ctx, poster.subtitle, width / 2, Math.min(after + 8, 136), {
    size: 14,
    color: '#ffe9e6',
    align: 'center',
    width: width - 2 * margin,
  });

  // The invitation and the code.
  text(ctx, '有事找委员，扫码就能说', width / 2, 196, { size: 26, color: RED, bold: true, align: 'center' });
  text(ctx, '24 小时在线  ·  咨询问题  ·  反映建议  ·  寻求帮助', width / 2, 236, {
    size: 14,
    color: INK,
    align: 'center',
  });
  const size = 236;
  ctx.drawImage(code, (width - size) / 2, 272, size, size);
  text(ctx, '微信扫一扫，留言直达本工作室委员', width / 2, 272 + size + 10, { size: 13, color: GREY, align: 'center' });

  // Members and service items, side by side.
  const top = 560;
  const column = (width - 2 * margin - 24) / 2;
  ctx.fillStyle = RED;
  ctx.fillRect(margin, top, 4, 18);
  ctx.fillRect(margin + column + 24, top, 4, 18);
  text(ctx, '工作室委员', margin + 12, top, { size: 15, color: INK, bold: true });
  text(ctx, '特色服务项目', margin + column + 36, top, { size: 15, color: INK, bold: true });
  let y = top + 30;
  for (const member of poster.members.slice(0, 9)) {
    y =
      text(ctx, `${member.name}  ${member.title}`, margin + 12, y, { size: 11.5, color: INK, width: column - 12 }) + 2;
  }
  if (poster.members.length > 9)
    text(ctx, `等 ${poster.members.length} 位委员`, margin + 12, y, { size: 11.5, color: GREY });
  y = top + 30;
  for (const item of poster.serviceItems.slice(0, 8)) {
    y =
      text(ctx, `· ${item}`, margin + column + 36, y, { size: 11.5, color: INK, width: column - 12, maxLines: 2 }) + 2;
  }

  // Footer: where, and what happens after a scan.
  ctx.fillStyle = '#f6efe9';
  ctx.fillRect(0, height - 82, width, 82);
  if (poster.address)
    text(ctx, `地址：${poster.address}`, width / 2, height - 68, {
      size: 11.5,
      color: INK,
      align: 'center',
      width: width - 2 * margin,
    });
  text(
    ctx,
    '留言即时送达委员手机，委员答复后您会收到微信通知；也可在小程序中随时查看办理进度。',
    width / 2,
    height - 44,
    { size: 10.5, color: GREY, align: 'center', width: width - 2 * margin, maxLines: 2 },
  );
}

export async function posterPng(poster: PosterData): Promise<Buffer> {
  const code = await loadImage(poster.code_png);
  const scale = PNG_WIDTH / A4.width;
  const canvas = createCanvas(PNG_WIDTH, Math.round(A4.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  drawPoster(ctx, poster, code);
  return canvas.encode('png');
}

/** One A4 page per poster, text kept as text (searchable, sharp when printed). */
export async function postersPdf(posters: PosterData[]): Promise<Buffer> {
  const doc = new PDFDocument({ title: '码上商 委员工作室海报', creator: '码上商' });
  for (const poster of posters) {
    const code = await loadImage(poster.code_png);
    drawPoster(doc.beginPage(A4.width, A4.height) as unknown as Ctx, poster, code);
    doc.endPage();
  }
  return doc.close();
}
