import PDFDocument from 'pdfkit';
import type { KnowledgeComparisonView } from './knowledge.dto';
import { exportTime as stamp, LANGUAGE_NAMES } from './knowledge-markdown';
import { unpackedFont } from './woff-font';

/**
 * The font of the PDF export: Noto Sans SC as @fontsource ships it (its Simplified Chinese
 * subset, which holds Latin, Spanish accents and about 8,000 Chinese characters), read by
 * fontkit from node_modules (unpacked once, see woff-font.ts): nothing from the OS, nothing
 * downloaded. A character outside it
 * (a rare one) prints as an empty box; the Markdown export keeps every character.
 */
const FONT =
  require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff');
const BOLD =
  require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff');

/** The comparison as a PDF (A4): per topic, each organisation's contribution as written. */
export function renderKnowledgePdf(
  comparison: KnowledgeComparisonView,
  exportedAt: Date,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    // Fixed dates, so the same comparison gives the same file.
    info: {
      Title: `Knowledge sharing: ${comparison.title}`,
      Producer: 'Entente',
      Creator: 'Entente',
      CreationDate: exportedAt,
      ModDate: exportedAt,
    },
  });
  doc.registerFont('text', unpackedFont(FONT));
  doc.registerFont('bold', unpackedFont(BOLD));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const names = new Map(comparison.organisations.map((o) => [o.id, `${o.name} (${o.country})`]));

  doc.font('bold').fontSize(18).text(`Knowledge sharing: ${comparison.title}`);
  doc
    .font('text')
    .fontSize(9)
    .fillColor('#57606a')
    .text(
      `Exported ${stamp(exportedAt.toISOString())}. Each contribution is shown as its author wrote it, in its own language.`,
    )
    .fillColor('#1b1f24');
  comparison.topics.forEach((topic, i) => {
    doc.moveDown(1.2);
    doc
      .font('bold')
      .fontSize(14)
      .text(`${i + 1}. ${topic.title}${topic.required ? ' (required)' : ''}`);
    for (const side of topic.sides) {
      const c = side.contribution;
      const name = names.get(side.organisationId) ?? side.organisationId;
      doc.moveDown(0.6);
      doc
        .font('bold')
        .fontSize(11)
        .text(c ? `${name} — ${LANGUAGE_NAMES[c.language]}` : name);
      doc.font('text').fontSize(10);
      if (!c) {
        doc.fillColor('#57606a').text('No contribution yet.').fillColor('#1b1f24');
        continue;
      }
      doc
        .fontSize(9)
        .fillColor('#57606a')
        .text(`${c.author.name ?? c.author.kind}, ${stamp(c.at)}, version ${c.revision}`)
        .fillColor('#1b1f24')
        .fontSize(10)
        .text(c.text);
      for (const link of c.links)
        doc.fillColor('#0b5cad').text(link, { link }).fillColor('#1b1f24');
    }
  });
  doc.end();
  return done;
}
