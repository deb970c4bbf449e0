import type { KnowledgeComparisonView } from './knowledge.dto';

/** Language names in the exports' headings (English: the exports' frame is English). */
export const LANGUAGE_NAMES = { en: 'English', es: 'Spanish', zh: 'Chinese' } as const;

/** An instant as the exports show it: `2027-03-01 09:30 UTC`. */
export function exportTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Text as Markdown shows it literally: every ASCII punctuation character that could start
 * markup (emphasis, links, HTML, code, tables, headings and lists at a line's start) is
 * backslash-escaped, which CommonMark allows for any ASCII punctuation. Line breaks are kept
 * as hard breaks, so a paragraph's lines stay as written.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_{}[\]()<>#+\-.!|~&"=]/g, (c) => `\\${c}`)
        // Leading spaces would make an indented code block.
        .replace(/^ +/, (s) => '&#32;'.repeat(s.length)),
    )
    .join('\\\n');
}

/** A heading's or name's text on one line, escaped. */
function inline(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' ').trim());
}

/**
 * The comparison as a Markdown document: per topic, each organisation's contribution one after
 * the other (in the partnership's order), each in the language its author wrote it in and as
 * written, with its links, author, time (UTC) and revision.
 */
export function renderKnowledgeMarkdown(
  comparison: KnowledgeComparisonView,
  exportedAt: Date,
): string {
  const names = new Map(comparison.organisations.map((o) => [o.id, `${o.name} (${o.country})`]));
  const lines: string[] = [
    `# Knowledge sharing: ${inline(comparison.title)}`,
    '',
    `Exported ${exportTime(exportedAt.toISOString())}. Each contribution is shown as its author wrote it, in its own language.`,
  ];
  comparison.topics.forEach((topic, i) => {
    lines.push('', `## ${i + 1}\\. ${inline(topic.title)}${topic.required ? ' (required)' : ''}`);
    for (const side of topic.sides) {
      const c = side.contribution;
      const name = inline(names.get(side.organisationId) ?? side.organisationId);
      lines.push('', `### ${name}${c ? ` — ${LANGUAGE_NAMES[c.language]}` : ''}`, '');
      if (!c) {
        lines.push('_No contribution yet._');
        continue;
      }
      const author = inline(c.author.name ?? c.author.kind);
      lines.push(
        `_${author}, ${exportTime(c.at)}, version ${c.revision}_`,
        '',
        escapeMarkdown(c.text),
      );
      if (c.links.length > 0) {
        // Links are validated http(s) URLs without spaces or angle brackets: safe as autolinks.
        lines.push('', 'Links:', '', ...c.links.map((l) => `- <${l}>`));
      }
    }
  });
  return `${lines.join('\n')}\n`;
}
