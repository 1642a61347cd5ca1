import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderHtml } from './html.js';
import { buildReport, type ReportModel } from './model.js';
import type { RunTrace } from './trace.js';

export interface WrittenReport {
  readonly file: string;
  readonly bytes: number;
  readonly model: ReportModel;
}

/** Builds the model from `trace`, renders it and writes one self-contained HTML file. */
export function writeReport(file: string, trace: RunTrace): WrittenReport {
  const model = buildReport(trace);
  const html = renderHtml(model);
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
  return { file: path, bytes: Buffer.byteLength(html), model };
}

/** One line for the terminal saying where the report is. */
export function describeReport(report: WrittenReport): string {
  const { model } = report;
  const kb = (report.bytes / 1024).toFixed(0);
  const warn = model.warnings.length > 0 ? ` (${model.warnings.length} warning(s) inside)` : '';
  return `report of run ${model.runId} written to ${report.file} (${kb} KB)${warn}`;
}
