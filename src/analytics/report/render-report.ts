import { renderReportHtml } from './render-html.ts';
import { renderReportMarkdown } from './render-markdown.ts';
import type { ReportDocument } from './report-document.ts';

export type ReportFormat = 'md' | 'json' | 'html';

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export function renderReport(doc: ReportDocument, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderReportMarkdown(doc);
    case 'json':
      return `${JSON.stringify(doc, null, 2)}\n`;
    case 'html':
      return renderReportHtml(doc);
  }
}
