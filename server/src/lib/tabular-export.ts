import { PassThrough, type Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import ExcelJS from 'exceljs';
import type { ExportFormat } from '@mashangshang/shared';

export interface ExportColumn<Row> {
  header: string;
  value: (row: Row) => string | number | null;
  /** Width in characters (XLSX only). */
  width?: number;
}

export interface ExportTable<Row> {
  /** ASCII base of the file name (the extension is added). */
  fileName: string;
  sheetName: string;
  columns: ExportColumn<Row>[];
  rows: AsyncIterable<Row> | Iterable<Row>;
}

/** Excel reads a UTF-8 CSV as the local code page unless it starts with a byte-order mark. */
const UTF8_BOM = '\ufeff';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe:
 * exported text comes from residents and must not execute in an admin's Excel.
 */
function neutralize(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = neutralize(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeCsv<Row>(table: ExportTable<Row>, out: PassThrough): Promise<void> {
  const line = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  await write(UTF8_BOM + line(table.columns.map((c) => c.header)));
  for await (const row of table.rows) await write(line(table.columns.map((c) => c.value(row))));
  out.end();
}

async function writeXlsx<Row>(table: ExportTable<Row>, out: PassThrough): Promise<void> {
  // The streaming writer commits each row to the zip as it goes: memory stays flat for large exports.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(table.sheetName);
  sheet.columns = table.columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? Math.max(10, [...c.header].length * 2 + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const row of table.rows) {
    sheet
      .addRow(
        table.columns.map((c) => {
          const value = c.value(row);
          return typeof value === 'string' ? neutralize(value) : value;
        }),
      )
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The OpenAPI description of an export's 200 answer. */
export const exportResponse = {
  description: 'CSV（UTF-8，带 BOM）或 XLSX 文件',
  content: Object.fromEntries(
    Object.values(EXPORT_CONTENT_TYPES).map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
  ),
};

/** Streams a table as CSV or XLSX to the client; rows are written as they are produced. */
export function sendTable<Row>(
  reply: FastifyReply,
  format: ExportFormat,
  table: ExportTable<Row>,
  log: FastifyBaseLogger,
): FastifyReply {
  const out = new PassThrough();
  const writing = format === 'xlsx' ? writeXlsx(table, out) : writeCsv(table, out);
  writing.catch((error: Error) => {
    log.error({ err: error }, 'export failed while streaming');
    out.destroy(error);
  });
  return reply
    .header('content-type', EXPORT_CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${table.fileName}.${format}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(out as Readable);
}
