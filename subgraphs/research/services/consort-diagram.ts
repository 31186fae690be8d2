/**
 * The CONSORT 2010 flow diagram as SVG, drawn from the flow's numbers (pure: every count comes from
 * `ConsortCounts`, none is placed by hand). Layout of the CONSORT 2010 template: enrolment in one
 * column with the exclusions beside it, then allocation, follow-up and analysis in two columns, one
 * per arm (IPS left, control right), each stage labelled in the left margin. Each box is a group
 * `<g id="box-…">` whose text lines hold its counts, in the reader's language (schema/i18n).
 *
 * A withheld count says why: « n < 5 » only for a count that is small itself (PRIMARY); a count
 * withheld to protect another (COMPLEMENTARY) may be large and reads « n withheld to protect another
 * count », never « n < 5 ». A perturbed count (cell key method) says so.
 */
import { enumLabel, translate, type Language, type MessageId, type MessageParams } from '../../../schema/i18n/index.js';
import { EligibilityCondition } from '../../kit/domain.js';
import { TrialArm } from '../entities/allocation.entity.js';
import { ARMS, countAt, type ArmFlow, type ConsortCounts, type PublishedFlow } from './consort-flow.js';

const WIDTH = 1000;
const MARGIN = 110; // the stage labels' column
const LINE = 17;
const PAD = 10;
const GAP = 34;
const CHAR_WIDTH = 6.4; // 12 px sans-serif, on average

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  lines: string[];
  height: number;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Words wrapped to the box's width; a line never splits a word. */
export function wrap(text: string, width: number): string[] {
  const max = Math.max(10, Math.floor((width - 2 * PAD) / CHAR_WIDTH));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function box(id: string, x: number, y: number, width: number, texts: string[]): Box {
  // A text's first line is the box's heading; the others are its reasons, bulleted.
  const lines = texts.flatMap((text, index) => wrap(index === 0 ? text : `• ${text}`, width));
  return { id, x, y, width, lines, height: lines.length * LINE + 2 * PAD };
}

/** Lower-cases a label's first letter inside a sentence (« groupe témoin »), not an acronym's (IPS-groep). */
const inSentence = (label: string) => (/^.[a-zà-ÿ]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label);

export interface DiagramOptions {
  language: Language;
  /** Counts withheld as small (PRIMARY) show as « n < threshold ». */
  threshold: number;
}

/** A flow to draw: exact counts, or a published flow whose nulls say why they are withheld. */
export type DrawnFlow = ConsortCounts<number | null> & Partial<Pick<PublishedFlow, 'withheld' | 'perturbed'>>;

/** The flow diagram (CONSORT 2010) as a standalone SVG document. */
export function consortDiagram(flow: DrawnFlow, { language, threshold }: DiagramOptions): string {
  // No break inside « (n = 12) »: non-breaking spaces keep a count whole on its line.
  const n = (path: string) => {
    const count = countAt<number | null>(flow, path) ?? null;
    if (count !== null)
      return flow.perturbed?.has(path)
        ? translate(language, 'consort.perturbed', { n: `=\u00a0${count}` })
        : `=\u00a0${count}`;
    const why = flow.withheld?.get(path);
    if (why === 'PRIMARY') return `<\u00a0${threshold}`;
    // Withheld as a complement it may be any size: never drawn as small. Without a reason, only « withheld ».
    return translate(language, why === 'COMPLEMENTARY' ? 'consort.complementary' : 'consort.withheld');
  };
  const say = (id: MessageId, path: string, params: MessageParams = {}) =>
    translate(language, id, { ...params, n: n(path) }).replace('(n ', '(n\u00a0');
  const boxes: Box[] = [];
  const arrows: [number, number, number, number][] = [];
  const stages: { label: string; top: number; bottom: number }[] = [];

  // Enrolment: the main column, each stage's losses in a box beside it.
  const mainX = MARGIN + 40;
  const mainWidth = 340;
  const sideX = mainX + mainWidth + 60;
  const sideWidth = WIDTH - sideX - 20;
  let y = 50;
  const enrolmentTop = y;
  const main = (id: string, text: string) => {
    const b = box(id, mainX, y, mainWidth, [text]);
    boxes.push(b);
    return b;
  };
  const side = (id: string, texts: string[], from: Box) => {
    const b = box(id, sideX, from.y + from.height + GAP / 2 - 8, sideWidth, texts);
    boxes.push(b);
    arrows.push([mainX + mainWidth / 2, b.y + Math.min(b.height, 40) / 2, sideX, b.y + Math.min(b.height, 40) / 2]);
    return b;
  };
  const assessed = main('box-assessed', say('consort.assessed', 'assessed'));
  const excluded = side(
    'box-excluded',
    [
      say('consort.excluded', 'excluded'),
      say('consort.declined', 'declined'),
      ...Object.values(EligibilityCondition).map((condition) =>
        say('consort.conditionNotMet', `unmetConditions.${condition}`, {
          condition: enumLabel(language, 'EligibilityCondition', condition),
        }),
      ),
    ],
    assessed,
  );
  const chain: [string, MessageId, string, string, MessageId, string][] = [
    ['box-referred', 'consort.referred', 'referred', 'box-not-registered', 'consort.notRegistered', 'notRegistered'],
    [
      'box-registered',
      'consort.registered',
      'registered',
      'box-not-randomised',
      'consort.notRandomised',
      'notRandomised',
    ],
  ];
  let previous = assessed;
  let beside = excluded;
  for (const [id, message, count, sideId, sideMessage, sideCount] of chain) {
    y = Math.max(previous.y + previous.height + GAP, beside.y + beside.height + GAP / 2);
    arrows.push([mainX + mainWidth / 2, previous.y + previous.height, mainX + mainWidth / 2, y]);
    const current = main(id, say(message, count));
    beside = side(sideId, [say(sideMessage, sideCount)], current);
    previous = current;
  }
  y = Math.max(previous.y + previous.height + GAP, beside.y + beside.height + GAP / 2);
  arrows.push([mainX + mainWidth / 2, previous.y + previous.height, mainX + mainWidth / 2, y]);
  const randomised = main('box-randomised', say('consort.randomised', 'randomised'));
  stages.push({
    label: translate(language, 'consort.enrolment'),
    top: enrolmentTop,
    bottom: randomised.y + randomised.height,
  });

  // Allocation, follow-up, analysis: one column per arm.
  const columnWidth = (WIDTH - MARGIN - 60) / 2;
  const columnX = (index: number) => MARGIN + 20 + index * (columnWidth + 20);
  const row = (stage: MessageId, make: (arm: ArmFlow<number | null>) => { id: string; texts: string[] }) => {
    const top = y;
    const made = ARMS.map((arm, index) => {
      const { id, texts } = make(flow.arms[arm]);
      return box(id, columnX(index), top, columnWidth, texts);
    });
    const height = Math.max(...made.map((b) => b.height));
    made.forEach((b) => {
      b.height = height;
      boxes.push(b);
    });
    stages.push({ label: translate(language, stage), top, bottom: top + height });
    y = top + height + GAP;
    return made;
  };
  y = randomised.y + randomised.height + GAP;
  const armLabel = (arm: TrialArm) => inSentence(enumLabel(language, 'TrialArm', arm));
  const allocation = row('consort.allocation', (a) => ({
    id: `box-allocated-${a.arm}`,
    texts: [
      say('consort.allocatedTo', `arms.${a.arm}.allocated`, { arm: armLabel(a.arm) }),
      say('consort.received', `arms.${a.arm}.received`),
      say('consort.notReceived', `arms.${a.arm}.notReceived`),
    ],
  }));
  allocation.forEach((b) =>
    arrows.push([mainX + mainWidth / 2, randomised.y + randomised.height, b.x + b.width / 2, b.y]),
  );
  const followUp = row('consort.followUp', (a) => ({
    id: `box-follow-up-${a.arm}`,
    texts: [
      ...a.lostByWave.map((_, wave) =>
        say('consort.lostAtWave', `arms.${a.arm}.lostByWave.${wave}`, {
          wave:
            wave === 0
              ? translate(language, 'consort.baseline')
              : translate(language, 'consort.month', { month: wave * 6 }),
        }),
      ),
      say('consort.discontinued', `arms.${a.arm}.discontinued`),
      say('consort.withdrawn', `arms.${a.arm}.withdrawn`),
    ],
  }));
  const analysis = row('consort.analysis', (a) => ({
    id: `box-analysed-${a.arm}`,
    texts: [say('consort.analysed', `arms.${a.arm}.analysed`)],
  }));
  for (const [from, to] of [
    [allocation, followUp],
    [followUp, analysis],
  ] as const) {
    from.forEach((b, index) =>
      arrows.push([b.x + b.width / 2, b.y + b.height, to[index]!.x + to[index]!.width / 2, to[index]!.y]),
    );
  }

  const height = y + 10;
  const title = translate(language, 'consort.title');
  const parts: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" lang="${language}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>`,
    `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (const stage of stages) {
    parts.push(
      `<g class="stage"><rect x="10" y="${stage.top}" width="${MARGIN - 20}" height="${stage.bottom - stage.top}" rx="6" fill="#dbe8f5" stroke="#5b7fa6"/>` +
        `<text x="${10 + (MARGIN - 20) / 2}" y="${(stage.top + stage.bottom) / 2 + 4}" text-anchor="middle" font-weight="bold">${escapeXml(stage.label)}</text></g>`,
    );
  }
  for (const [x1, y1, x2, y2] of arrows)
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#333" marker-end="url(#arrow)"/>`);
  for (const b of boxes) {
    const tspans = b.lines
      .map(
        (line, index) => `<tspan x="${b.x + PAD}" y="${b.y + PAD + (index + 1) * LINE - 4}">${escapeXml(line)}</tspan>`,
      )
      .join('');
    parts.push(
      `<g id="${b.id}" class="box"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="#fff" stroke="#333"/><text>${tspans}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
