import fs from 'node:fs';
import path from 'node:path';

/** The database's files on disk at the end of a bench: what the data set costs in storage. */
export interface DatabaseFiles {
  /** Where they are (the server's own folder under the bench's data folder). */
  dir: string;
  engine: 'ferretdb' | 'mongod' | 'unknown';
  /** Every file, largest first. */
  files: { name: string; bytes: number }[];
  /** FerretDB: the *.sqlite files; mongod: everything but the journal. */
  dataBytes: number;
  /** FerretDB: the *.sqlite-wal files; mongod: journal/. */
  walBytes: number;
}

function walk(dir: string, prefix = ''): { name: string; bytes: number }[] {
  if (!fs.existsSync(dir)) return [];
  const out: { name: string; bytes: number }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, `${prefix}${entry.name}/`));
    else if (entry.isFile()) out.push({ name: `${prefix}${entry.name}`, bytes: fs.statSync(full).size });
  }
  return out;
}

/**
 * The data and WAL sizes of the database a bench started with startDatabase({ dataDir }): FerretDB
 * keeps one SQLite file per database in <dataDir>/ferretdb/<db>.sqlite (and its write-ahead log
 * <db>.sqlite-wal), mongod its files in <dataDir>/mongod. Call it before the folder is removed.
 */
export function databaseFiles(dataDir: string): DatabaseFiles {
  const ferret = path.join(dataDir, 'ferretdb');
  const mongod = path.join(dataDir, 'mongod');
  if (fs.existsSync(ferret)) {
    const files = walk(ferret).sort((a, b) => b.bytes - a.bytes);
    const sum = (suffix: string) => files.filter((f) => f.name.endsWith(suffix)).reduce((n, f) => n + f.bytes, 0);
    return { dir: ferret, engine: 'ferretdb', files, dataBytes: sum('.sqlite'), walBytes: sum('.sqlite-wal') };
  }
  if (fs.existsSync(mongod)) {
    const files = walk(mongod).sort((a, b) => b.bytes - a.bytes);
    const journal = files.filter((f) => f.name.startsWith('journal/')).reduce((n, f) => n + f.bytes, 0);
    return {
      dir: mongod,
      engine: 'mongod',
      files,
      dataBytes: files.reduce((n, f) => n + f.bytes, 0) - journal,
      walBytes: journal,
    };
  }
  return { dir: dataDir, engine: 'unknown', files: [], dataBytes: 0, walBytes: 0 };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** "database files (FerretDB SQLite, /tmp/…/ferretdb): data 212.7 MiB, WAL 4.3 MiB — bench.sqlite 212.7 MiB, bench.sqlite-wal 4.3 MiB" */
export function formatDatabaseFiles(files: DatabaseFiles, label = 'database files'): string {
  if (files.engine === 'unknown') return `${label}: none found under ${files.dir} (an external server?)`;
  const kind = files.engine === 'ferretdb' ? 'FerretDB SQLite' : 'mongod';
  const shown =
    files.engine === 'ferretdb' ? files.files.filter((f) => /\.sqlite(-wal)?$/.test(f.name)) : files.files.slice(0, 4);
  return `${label} (${kind}, ${files.dir}): data ${formatBytes(files.dataBytes)}, WAL ${formatBytes(files.walBytes)} — ${shown.map((f) => `${f.name} ${formatBytes(f.bytes)}`).join(', ')}`;
}

/** Prints the line and returns the figures for the bench's JSON. */
export function reportDatabaseFiles(dataDir: string, log: (line: string) => void, label?: string): DatabaseFiles {
  const files = databaseFiles(dataDir);
  log(formatDatabaseFiles(files, label));
  return files;
}
