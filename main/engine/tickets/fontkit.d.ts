// The part of fontkit (pdfkit's font engine) the ticket renderer uses to ask which font has a glyph.
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer): Font;
}
