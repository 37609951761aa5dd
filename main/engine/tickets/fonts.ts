import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The fonts tickets are printed with, shipped as npm packages so every install prints the same: Noto Sans
 * (Latin, Greek, Cyrillic: "Zoë Ødegård", "Łukasz") and, as a fallback, Noto Sans SC for Chinese
 * characters ("王芳"). Text is split into runs, each set in the first font of the chain that has its
 * glyphs; a character no font has is printed as "?" rather than as an empty box.
 */
export interface TicketFont {
  /** The name the font is registered under in a PDF document. */
  name: string;
  /** Parsed once per process and handed to every PDF document as it is (`registerTicketFonts`). */
  face: fontkit.Font;
  data: Buffer;
}

export interface FontChain {
  regular: TicketFont[];
  bold: TicketFont[];
}

function packageFontDir(pkg: string): string {
  // The packages export only their JS entry; the font files sit in `fonts/` beside `dist/`.
  const entry = createRequire(import.meta.url).resolve(pkg);
  return join(dirname(entry), '..', 'fonts');
}

function load(name: string, path: string): TicketFont {
  const data = readFileSync(path);
  return { name, face: rememberingShapes(fontkit.create(data)), data };
}

/** Distinct words whose shaping a font keeps: a few MB at most. */
const SHAPED_WORDS = 4000;

/**
 * The font, remembering how it shaped its most recent words. Event names, dates, venues and labels come
 * back on every ticket, and shaping (the font's substitution and positioning rules) is most of what a
 * ticket costs once the font is parsed. pdfkit scales the positions of what it gets in place, so each
 * caller gets its own copy of a remembered run.
 */
function rememberingShapes(face: fontkit.Font): fontkit.Font {
  const runs = new Map<string, fontkit.GlyphRun>();
  const font: fontkit.Font = Object.create(face);
  font.layout = (text, ...options) => {
    if (options.some((o) => o !== undefined)) return face.layout(text, ...options);
    let run = runs.get(text);
    if (run) runs.delete(text);
    else {
      run = face.layout(text);
      if (runs.size >= SHAPED_WORDS) runs.delete(runs.keys().next().value!);
    }
    runs.set(text, run);
    return copyRun(run);
  };
  return font;
}

function copyRun(run: fontkit.GlyphRun): fontkit.GlyphRun {
  const copy: fontkit.GlyphRun = Object.assign(Object.create(Object.getPrototypeOf(run)), run);
  copy.glyphs = run.glyphs.slice();
  copy.positions = run.positions.map((p) => Object.assign(Object.create(Object.getPrototypeOf(p)), p));
  return copy;
}

let chain: FontChain | undefined;

/** The font chain, read once per process (the CJK font is 8 MB; it is embedded only where used). */
export function ticketFonts(): FontChain {
  if (chain) return chain;
  const latin = packageFontDir('@embedpdf/fonts-latin');
  const cjk = packageFontDir('@embedpdf/fonts-sc');
  const cjkRegular = load('cjk', join(cjk, 'NotoSansHans-Regular.otf'));
  chain = {
    regular: [load('latin', join(latin, 'NotoSans-Regular.ttf')), cjkRegular],
    bold: [
      load('latin-bold', join(latin, 'NotoSans-Bold.ttf')),
      load('cjk-bold', join(cjk, 'NotoSansHans-Bold.otf')),
    ],
  };
  return chain;
}

let takesParsedFonts: boolean | undefined;

/**
 * Registers fonts in a PDF document under their names. The parsed fonts are shared by every document of
 * the process, so pdfkit reuses the glyph and layout tables fontkit has already read instead of parsing
 * them again for each PDF (most of a single-ticket PDF's time otherwise); each document still embeds its
 * own subset. A pdfkit older than 0.20 (an install not yet updated) takes only the font's bytes.
 */
export function registerTicketFonts(doc: PDFKit.PDFDocument, fonts: TicketFont[]): void {
  takesParsedFonts ??= acceptsParsedFont(fonts[0]!.face);
  for (const font of fonts) {
    if (takesParsedFonts) doc.registerFont(font.name, font.face);
    else doc.registerFont(font.name, font.data);
  }
}

function acceptsParsedFont(face: fontkit.Font): boolean {
  try {
    new PDFDocument({ autoFirstPage: false }).font(face);
    return true;
  } catch {
    return false;
  }
}

export interface TextRun {
  font: TicketFont;
  text: string;
}

const REPLACEMENT = '?';

/**
 * Splits text into runs by the first font of the chain that can print each character. Spaces stay in
 * the current run, so a line changes font only where it must.
 */
export function splitIntoRuns(text: string, fonts: TicketFont[]): TextRun[] {
  const runs: TextRun[] = [];
  const primary = fonts[0]!;
  let current: TextRun | undefined;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (isInvisible(cp)) continue;
    let font: TicketFont | undefined;
    let out = char;
    if (current && isSpace(cp)) font = current.font;
    else font = fonts.find((f) => f.face.hasGlyphForCodePoint(cp));
    if (!font) {
      font = primary;
      out = REPLACEMENT;
    }
    if (current && current.font === font) current.text += out;
    else {
      current = { font, text: out };
      runs.push(current);
    }
  }
  return runs;
}

function isSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0xa0 || cp === 0x09;
}

/** Zero-width and control characters: dropped rather than printed as "?". */
function isInvisible(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f);
}
