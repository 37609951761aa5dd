// The part of fontkit (pdfkit's font engine) the ticket renderer uses to ask which font has a glyph.
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string, ...options: unknown[]): GlyphRun;
  }
  export interface GlyphRun {
    glyphs: object[];
    positions: GlyphPosition[];
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export function create(buffer: Buffer): Font;
}

// pdfkit (since 0.20) also takes an already-parsed fontkit font; @types/pdfkit still lists only file
// names and bytes.
declare namespace PDFKit.Mixins {
  interface PDFFont {
    font(src: import('fontkit').Font, size?: number): this;
    registerFont(name: string, src: import('fontkit').Font): this;
  }
}
