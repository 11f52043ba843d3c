import type { Warehouse } from './createWarehouse.js';
import { csvText, type FieldSource, type ImportField, selectStage, validateStage } from './importFields.js';
import { createImportStaging, ImportError, type Stage, sqlString, stageColumn } from './importStaging.js';
import { readFirstCsvRecord } from './scanCsv.js';

/** The columns of a label list, in the order a list without a header has them. */
const labelColumns = ['address', 'label', 'category', 'confidence'] as const;

const labelFields: ImportField[] = [
  { column: 'address', kind: 'address', empty: 'error' },
  { column: 'label', kind: 'text', optional: true, empty: 'null' },
  { column: 'category', kind: 'text', optional: true, empty: 'null' },
  { column: 'confidence', kind: 'confidence', optional: true, empty: { default: '1' } },
];

/** Options for {@link importLabels}. */
export interface ImportLabelsOptions {
  paths: readonly string[];
  /** Who says so: `address_labels.source` (e.g. `etherscan`, `chainabuse`, `ofac`). */
  source: string;
  /** Default 1. */
  chainId?: number;
  /** The labels' `added_at` (unix milliseconds; default now): the newest statement of a source wins. */
  addedAt?: number;
}

/** What {@link importLabels} wrote. */
export interface LabelsImportReport {
  files: { path: string; rows: number }[];
  rows: number;
  /** Header columns other than address, label, category, confidence (read past, not stored). */
  ignoredColumns: string[];
  seconds: number;
}

/**
 * Imports label lists `address[,label,category,confidence]` (CSV, header optional) into `address_labels`
 * with one `source`, atomically: every row is validated (a bad address is reported as `file:line`) before
 * one INSERT writes them all. Addresses and categories are lower-cased; a missing category is the label;
 * a missing confidence is 1. Other header columns are ignored (and reported).
 */
export async function importLabels(
  warehouse: Warehouse,
  options: ImportLabelsOptions,
): Promise<LabelsImportReport> {
  const started = performance.now();
  const source = options.source.trim();
  if (!source) {
    throw new ImportError('A label import needs a source', {
      code: 'IMPORT_INVALID',
      details: 'Pass --source NAME: who says these labels (e.g. etherscan, chainabuse, ofac).',
    });
  }
  if (options.paths.length === 0) {
    throw new ImportError('No files to import', { code: 'IMPORT_READ', details: 'Pass one or more files.' });
  }
  const chainId = options.chainId ?? 1;
  const addedAt = options.addedAt ?? Date.now();

  const groups = new Map<string, { names: string[]; header: boolean; files: string[] }>();
  const ignored = new Set<string>();
  for (const path of options.paths) {
    let first: string[] | null;
    try {
      first = await readFirstCsvRecord(path);
    } catch (error) {
      throw new ImportError(`Cannot read ${path}`, {
        code: 'IMPORT_READ',
        cause: error,
        details: `${(error as Error).message}\nNothing was imported.`,
      });
    }
    if (!first) continue;
    // A list has a header when its first field is not an address-like 0x value.
    const header = !first[0]!.trim().toLowerCase().startsWith('0x');
    let names: string[];
    if (header) {
      names = first.map((name) => name.trim().toLowerCase());
      if (!names.includes('address')) {
        throw new ImportError(`${path}:1: no address column`, {
          code: 'IMPORT_INVALID',
          details: `Expected address[,label,category,confidence], with or without a header; the header has: ${first.join(', ')}.\nNothing was imported.`,
        });
      }
      for (const name of names) if (!(labelColumns as readonly string[]).includes(name)) ignored.add(name);
    } else {
      if (first.length > labelColumns.length) {
        throw new ImportError(`${path}:1: ${first.length} fields`, {
          code: 'IMPORT_INVALID',
          details: 'Expected address[,label,category,confidence] (at most 4 fields). Nothing was imported.',
        });
      }
      names = labelColumns.slice(0, first.length);
    }
    const key = JSON.stringify([header, names]);
    const group = groups.get(key) ?? { names, header, files: [] };
    group.files.push(path);
    groups.set(key, group);
  }

  const staging = createImportStaging(warehouse);
  try {
    const stages: Stage[] = [];
    const branches: string[] = [];
    for (const group of groups.values()) {
      const stage = await staging.loadCsv(group.files, { names: group.names, header: group.header });
      const sources = new Map<string, FieldSource | undefined>();
      for (const field of labelFields) {
        const column = stageColumn(stage, field.column);
        sources.set(field.column, column ? csvText(column, field.kind) : undefined);
      }
      await validateStage(warehouse, stage, labelFields, sources);
      stages.push(stage);
      branches.push(selectStage(stage, labelFields, sources));
    }
    const rows = stages.reduce((sum, stage) => sum + stage.rows.reduce((a, b) => a + b, 0), 0);
    if (rows > 0) {
      await warehouse.client.command({
        query: `INSERT INTO address_labels (chain_id, address, label, category, source, confidence, added_at)
          SELECT ${chainId}, s.address, ifNull(s.label, ''), lower(trimBoth(ifNull(s.category, ifNull(s.label, '')))),
                 ${sqlString(source)}, s.confidence, fromUnixTimestamp64Milli(toInt64(${addedAt}), 'UTC')
          FROM (${branches.length === 1 ? branches[0] : branches.map((b) => `(${b})`).join(' UNION ALL ')}) AS s`,
      });
    }
    return {
      files: stages.flatMap((stage) => stage.files.map((path, i) => ({ path, rows: stage.rows[i]! }))),
      rows,
      ignoredColumns: [...ignored],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await staging.drop();
  }
}
