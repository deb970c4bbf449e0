import { sync as ical } from 'node-ical';
import type { VEvent } from 'node-ical';
import { renderCalendarEventEmail } from '../emails/calendar-event';
import { eventIcs, EventIcsInput } from './event-ics';

const INPUT: EventIcsInput = {
  method: 'REQUEST',
  uid: '5f0c2a1e-0000-4000-8000-000000000001@entente',
  sequence: 3,
  stamp: new Date('2027-01-02T10:00:00Z'),
  start: new Date('2027-01-11T08:00:00Z'),
  end: new Date('2027-01-11T09:30:00Z'),
  title: 'Seminario; financiación, regulación\\y apoyo — 创业文化与支持体系 '.repeat(3),
  description: 'Línea 1\nLínea 2; con, signos',
  place: 'IVACE, Sala 2; València',
  onlineUrl: 'https://meet.example/s?a=1;b=2',
  organiser: { name: 'Ana', email: 'ana@iurc.example' },
  attendees: [
    { name: 'Raquel Aguado Muñoz', email: 'raquel@ivace.example', answer: 'accepted' },
    { name: '李伟', email: 'li.wei@eiri.example', answer: 'pending' },
  ],
};

function parsed(text: string): VEvent {
  const events = Object.values(ical.parseICS(text)).filter(
    (c): c is VEvent => c?.type === 'VEVENT',
  );
  expect(events).toHaveLength(1);
  return events[0];
}

describe(eventIcs.name, () => {
  it('an invitation node-ical reads back as written: escaped text, UTC times, SEQUENCE, PARTSTAT', () => {
    const text = eventIcs(INPUT);
    expect(text).toMatch(/^METHOD:REQUEST\r?$/m);
    expect(text).toMatch(/^DTSTART:20270111T080000Z\r?$/m);
    expect(text).toMatch(/^DTEND:20270111T093000Z\r?$/m);
    const event = parsed(text);
    expect(event).toMatchObject({
      uid: INPUT.uid,
      sequence: 3,
      summary: INPUT.title,
      description: INPUT.description,
      location: INPUT.place,
      status: 'CONFIRMED',
    });
    const partstat = (email: string) =>
      [event.attendee]
        .flat()
        .find((a) => typeof a === 'object' && String(a.val).toLowerCase() === `mailto:${email}`);
    expect(partstat('raquel@ivace.example')).toMatchObject({ params: { PARTSTAT: 'ACCEPTED' } });
    expect(partstat('li.wei@eiri.example')).toMatchObject({ params: { PARTSTAT: 'NEEDS-ACTION' } });
  });

  it('folds every line to at most 75 octets (RFC 5545 3.1), multi-byte characters whole', () => {
    const lines = eventIcs(INPUT).split(/\r\n/);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true); // something was folded
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('a cancellation: METHOD:CANCEL, STATUS:CANCELLED, the same UID', () => {
    const text = eventIcs({ ...INPUT, method: 'CANCEL', sequence: 4 });
    expect(text).toMatch(/^METHOD:CANCEL\r?$/m);
    expect(parsed(text)).toMatchObject({ uid: INPUT.uid, sequence: 4, status: 'CANCELLED' });
  });
});

describe(renderCalendarEventEmail.name, () => {
  it('shows the time on the reader’s own clock and zone, and in UTC, in their language', () => {
    const email = renderCalendarEventEmail({
      notice: 'invitation',
      language: 'zh',
      timeZone: 'Asia/Shanghai',
      partnershipTitle: '瓦伦西亚 – 成都',
      link: 'https://entente.example/e/token',
      recipientName: '李伟',
      organiser: 'Ana',
      kind: 'seminar',
      title: 'Funding environment',
      start: new Date('2027-01-11T08:00:00Z'),
      end: new Date('2027-01-11T09:00:00Z'),
      place: null,
      onlineUrl: 'https://meet.example/s',
      linkIsAnswer: true,
    });
    expect(email.subject).toBe('邀请：Funding environment – 瓦伦西亚 – 成都');
    expect(email.text).toContain('16:00');
    expect(email.text).toContain('（您的时间，Asia/Shanghai）');
    expect(email.text).toContain('UTC时间：2027-01-11 08:00–09:00 UTC');
    expect(email.text).toContain('研讨会');
    expect(email.text).toContain('接受或拒绝：https://entente.example/e/token');
  });
});
